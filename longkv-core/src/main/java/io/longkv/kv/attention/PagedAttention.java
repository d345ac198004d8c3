package io.longkv.kv.attention;

import io.longkv.kv.block.KvBlock;
import io.longkv.tensor.Parallel;
import io.longkv.tensor.VectorMath;
import java.util.Arrays;

/**
 * Exact attention over keys and values stored in blocks, with online softmax (flash-attention style):
 * each task keeps a running max, sum and weighted value sum per query row while it walks the blocks, so
 * no score array of the whole context exists. GQA: the whole query group of a KV head is processed
 * together so each key and value row is read once per group, which is what makes decode bandwidth-bound
 * rather than compute-bound. Prefill is tiled over (KV head, tile of query rows), each tile reading the
 * blocks once; decode splits the blocks across tasks, each walking every KV head of its blocks, and merges
 * their partial softmax states, so a few KV heads still spread over every core. One instance per cache (it
 * holds the decode partial states); per-task scratch is per thread, so nothing is allocated per token. The walk is over
 * {@link KvRuns}, so methods with their own layouts reuse it, and decode can be limited to selected pages
 * ({@link PageSelection}).
 */
public final class PagedAttention {
    /** Query tokens per prefill tile. */
    private static final int TILE_TOKENS = 16;
    /** Fewest slots (over all KV heads) a decode split walks: below this the merge costs more than it spreads. */
    private static final int MIN_SPLIT_SLOTS = 384;
    /** Decode splits per thread: enough slack to balance cores that other processes share. */
    private static final int SPLITS_PER_THREAD = 4;
    private static final int ALL_ROWS = -1;
    /** Each thread's tile states: one for a prefill tile, one per KV head in decode. */
    private static final ThreadLocal<TileScratch[]> SCRATCH = ThreadLocal.withInitial(() -> new TileScratch[0]);

    private final int heads;
    private final int group;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private float[] partialMax = new float[0];
    private float[] partialSum = new float[0];
    private float[] partialAcc = new float[0];
    private final BlockRuns blockRuns = new BlockRuns();
    private final DensePages densePages = new DensePages();

    public PagedAttention(int heads, int kvHeads, int headDim) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.group = heads / kvHeads;
        this.headDim = headDim;
        this.scale = (float) (1 / Math.sqrt(headDim));
    }

    /**
     * Attention of {@code rows} query rows (rows of heads * headDim in {@code q}) over the first
     * {@code stored} token slots of {@code blocks} (each of {@code blockTokens} slots). The query rows are
     * the last {@code rows} stored tokens: row i sees slots {@code [0, stored - rows + i + 1)}.
     *
     * @return key/value token rows read per KV head (for the traffic counters)
     */
    public long attend(KvBlock[] blocks, int blockTokens, int stored, float[] q, int rows, float[] out) {
        return attend(blockRuns.of(blocks, blockTokens), stored, q, rows, out);
    }

    /** As {@link #attend(KvBlock[], int, int, float[], int, float[])} over any run layout. */
    public long attend(KvRuns runs, int stored, float[] q, int rows, float[] out) {
        if (rows == 1) {
            decode(runs, stored, q, out, densePages.of(runs.maxRun(), stored));
            return stored;
        }
        int visibleBase = stored - rows;
        int tiles = (rows + TILE_TOKENS - 1) / TILE_TOKENS;
        Parallel.parallelFor(kvHeads * tiles, (from, to) -> {
            TileScratch s = scratch(1)[0];
            for (int task = from; task < to; task++) {
                int kvHead = task % kvHeads;
                int firstRow = (task / kvHeads) * TILE_TOKENS;
                int tileRows = Math.min(TILE_TOKENS, rows - firstRow);
                begin(runs, kvHead, q, firstRow, tileRows, s);
                walk(runs, kvHead, 0, stored, tileRows, firstRow, visibleBase, ALL_ROWS, s);
                s.finish(group * tileRows, headDim, out, firstRow, heads, kvHead, group);
            }
        });
        long read = 0;
        for (int t = 0; t < tiles; t++) {
            read += visibleBase + Math.min(rows, (t + 1) * TILE_TOKENS);
        }
        return read;
    }

    /**
     * One decode step (query row of all heads in {@code q}, its key the last of {@code stored}) over the pages
     * {@code pages} selects; softmax runs over the selected slots only. The page lists are split across tasks
     * and the partial softmax states merged. A task walks its share of every KV head's list together, page
     * i of each head in turn: in dense decode that reads each block's heads back to back, front to back in
     * the block's memory, which streams faster than one head's regions across many blocks.
     */
    public void decode(KvRuns runs, int stored, float[] q, float[] out, PageSelection pages) {
        if (group > Integer.SIZE) {
            throw new IllegalArgumentException("page selection supports query groups of at most 32 heads, got " + group);
        }
        int most = mostPages(pages);
        int splits = splits(most * pages.pageTokens() * kvHeads);
        ensurePartials(splits * kvHeads);
        Parallel.parallelFor(splits, (from, to) -> {
            TileScratch[] states = scratch(kvHeads);
            for (int split = from; split < to; split++) {
                // Shares differ by at most one page: rounding every share up would leave the last one short,
                // and its thread idle (129 pages in 8 splits of 17: one thread walks 68, the other 61).
                int first = (int) ((long) split * most / splits);
                int last = (int) ((long) (split + 1) * most / splits);
                for (int h = 0; h < kvHeads; h++) {
                    begin(runs, h, q, 0, 1, states[h]);
                }
                for (int i = first; i < last; i++) {
                    for (int h = 0; h < kvHeads; h++) {
                        if (i < pages.count(h)) {
                            int start = pages.page(h, i) * pages.pageTokens();
                            walk(runs, h, start, Math.min(stored, start + pages.pageTokens()), 1, 0, stored - 1,
                                    pages.rowMask(h, i), states[h]);
                        }
                    }
                }
                for (int h = 0; h < kvHeads; h++) {
                    TileScratch s = states[h];
                    if (splits == 1) {
                        s.finish(group, headDim, out, 0, heads, h, group);
                    } else {
                        int partial = split * kvHeads + h;
                        System.arraycopy(s.max, 0, partialMax, partial * group, group);
                        System.arraycopy(s.sum, 0, partialSum, partial * group, group);
                        System.arraycopy(s.acc, 0, partialAcc, partial * group * headDim, group * headDim);
                    }
                }
            }
        });
        if (splits > 1) {
            merge(splits, out);
        }
    }

    /** This thread's tile states, at least {@code count} of them. */
    private static TileScratch[] scratch(int count) {
        TileScratch[] states = SCRATCH.get();
        if (states.length < count) {
            states = Arrays.copyOf(states, count);
            for (int i = 0; i < count; i++) {
                if (states[i] == null) {
                    states[i] = new TileScratch();
                }
            }
            SCRATCH.set(states);
        }
        return states;
    }

    /** Decode tasks for {@code slots} slots over all KV heads. */
    private static int splits(int slots) {
        int threads = Parallel.threads();
        int splits = Math.min(threads * SPLITS_PER_THREAD, slots / MIN_SPLIT_SLOTS);
        // Whole rounds per thread: 5 splits on 2 threads would leave one thread the last split alone.
        if (splits > threads) {
            splits -= splits % threads;
        }
        return Math.max(1, splits);
    }

    private int mostPages(PageSelection pages) {
        int most = 0;
        for (int h = 0; h < kvHeads; h++) {
            most = Math.max(most, pages.count(h));
        }
        return most;
    }

    /** Combines the splits' partial states of each query head: rescale each to the common max, then add. */
    private void merge(int splits, float[] out) {
        for (int kvHead = 0; kvHead < kvHeads; kvHead++) {
            for (int j = 0; j < group; j++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int sp = 0; sp < splits; sp++) {
                    max = Math.max(max, partialMax[(sp * kvHeads + kvHead) * group + j]);
                }
                int o = (kvHead * group + j) * headDim;
                Arrays.fill(out, o, o + headDim, 0f);
                float sum = 0;
                for (int sp = 0; sp < splits; sp++) {
                    int p = (sp * kvHeads + kvHead) * group + j;
                    float weight = partialSum[p] == 0 ? 0 : (float) Math.exp(partialMax[p] - max);
                    sum += partialSum[p] * weight;
                    VectorMath.axpy(weight, partialAcc, p * headDim, out, o, headDim);
                }
                VectorMath.scale(out, o, headDim, 1 / sum);
            }
        }
    }

    private void ensurePartials(int tasks) {
        if (partialMax.length < tasks * group) {
            partialMax = new float[tasks * group];
            partialSum = new float[tasks * group];
            partialAcc = new float[tasks * group * headDim];
        }
    }

    /** Starts a tile's online-softmax state with its scaled queries (token rows {@code firstRow ..} of one KV head's group). */
    private void begin(KvRuns runs, int kvHead, float[] q, int firstRow, int tileRows, TileScratch s) {
        s.reset(tileRows * group, headDim, runs.maxRun());
        for (int i = 0; i < tileRows; i++) {
            int src = ((firstRow + i) * heads + kvHead * group) * headDim;
            for (int k = 0; k < group * headDim; k++) {
                s.q[i * group * headDim + k] = q[src + k] * scale;
            }
        }
    }

    /**
     * Folds slots {@code [slotFrom, slotTo)} into the tile's state, run by run. Query row i of the tile sees
     * slots below {@code visibleBase + firstRow + i + 1} (causal); head j of the group only if bit j of
     * {@code rowMask} is set.
     */
    private void walk(KvRuns runs, int kvHead, int slotFrom, int slotTo, int tileRows, int firstRow, int visibleBase,
                      int rowMask, TileScratch s) {
        int rowsInTile = tileRows * group;
        int stride = runs.maxRun();
        int limit = Math.min(slotTo, visibleBase + firstRow + tileRows);
        for (int start = slotFrom; start < limit; ) {
            int end = runs.runEnd(start, limit);
            runs.scores(kvHead, start, end, s.q, rowsInTile, s.scores, stride, s.rows);
            for (int r = 0; r < rowsInTile; r++) {
                int visible = visibleBase + firstRow + r / group + 1;
                int valid = (rowMask >>> (r % group) & 1) == 0 ? 0 : Math.clamp(visible - start, 0, end - start);
                s.update(r, valid, end - start, headDim, stride);
            }
            runs.accumulate(kvHead, start, end, s.scores, stride, rowsInTile, s.acc, s.rows);
            start = end;
        }
    }

    /** Every slot as pages of {@code pageTokens}, read by every query head: dense decode. */
    private static final class DensePages implements PageSelection {
        private int pageTokens;
        private int count;

        DensePages of(int tokens, int stored) {
            pageTokens = tokens;
            count = (stored + tokens - 1) / tokens;
            return this;
        }

        @Override
        public int pageTokens() {
            return pageTokens;
        }

        @Override
        public int count(int kvHead) {
            return count;
        }

        @Override
        public int page(int kvHead, int i) {
            return i;
        }

        @Override
        public int rowMask(int kvHead, int i) {
            return ALL_ROWS;
        }
    }
}
