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
 * blocks once; decode splits the blocks of each KV head across tasks and merges their partial softmax
 * states, so a few KV heads still spread over every core. One instance per cache (it holds the decode
 * partial states); per-task scratch is per thread, so nothing is allocated per token.
 */
public final class PagedAttention {
    /** Query tokens per prefill tile. */
    private static final int TILE_TOKENS = 16;
    /** Fewest blocks a decode split walks: below this the merge costs more than it spreads. */
    private static final int MIN_SPLIT_BLOCKS = 8;
    private static final ThreadLocal<TileScratch> SCRATCH = ThreadLocal.withInitial(TileScratch::new);

    private final int heads;
    private final int group;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private float[] partialMax = new float[0];
    private float[] partialSum = new float[0];
    private float[] partialAcc = new float[0];

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
        int visibleBase = stored - rows;
        if (rows == 1) {
            return decode(blocks, blockTokens, stored, q, out);
        }
        int tiles = (rows + TILE_TOKENS - 1) / TILE_TOKENS;
        Parallel.parallelFor(kvHeads * tiles, (from, to) -> {
            TileScratch s = SCRATCH.get();
            for (int task = from; task < to; task++) {
                int kvHead = task % kvHeads;
                int firstRow = (task / kvHeads) * TILE_TOKENS;
                int tileRows = Math.min(TILE_TOKENS, rows - firstRow);
                tile(blocks, blockTokens, kvHead, 0, stored, q, firstRow, tileRows, visibleBase, s);
                s.finish(group * tileRows, headDim, out, firstRow, heads, kvHead, group);
            }
        });
        long read = 0;
        for (int t = 0; t < tiles; t++) {
            read += visibleBase + Math.min(rows, (t + 1) * TILE_TOKENS);
        }
        return read;
    }

    private long decode(KvBlock[] blocks, int blockTokens, int stored, float[] q, float[] out) {
        int blockCount = (stored + blockTokens - 1) / blockTokens;
        int wanted = (Parallel.threads() * 4 + kvHeads - 1) / kvHeads;
        int splits = Math.max(1, Math.min(wanted, blockCount / MIN_SPLIT_BLOCKS));
        int blocksPerSplit = (blockCount + splits - 1) / splits;
        int tasks = kvHeads * splits;
        ensurePartials(tasks);
        Parallel.parallelFor(tasks, (from, to) -> {
            TileScratch s = SCRATCH.get();
            for (int task = from; task < to; task++) {
                int kvHead = task % kvHeads;
                int first = (task / kvHeads) * blocksPerSplit * blockTokens;
                int last = Math.min(stored, first + blocksPerSplit * blockTokens);
                tile(blocks, blockTokens, kvHead, first, last, q, 0, 1, stored - 1, s);
                if (splits == 1) {
                    s.finish(group, headDim, out, 0, heads, kvHead, group);
                } else {
                    System.arraycopy(s.max, 0, partialMax, task * group, group);
                    System.arraycopy(s.sum, 0, partialSum, task * group, group);
                    System.arraycopy(s.acc, 0, partialAcc, task * group * headDim, group * headDim);
                }
            }
        });
        if (splits > 1) {
            merge(splits, out);
        }
        return stored;
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

    /**
     * One online-softmax pass of a KV head's query group for token rows {@code firstRow ..} (query row i
     * sees slots below {@code visibleBase + i + 1}) over slots {@code [slotFrom, slotTo)}; leaves the
     * state in {@code s}.
     */
    private void tile(KvBlock[] blocks, int blockTokens, int kvHead, int slotFrom, int slotTo, float[] q,
                      int firstRow, int tileRows, int visibleBase, TileScratch s) {
        int rowsInTile = tileRows * group;
        s.reset(rowsInTile, headDim, blockTokens);
        for (int i = 0; i < tileRows; i++) {
            int src = ((firstRow + i) * heads + kvHead * group) * headDim;
            for (int k = 0; k < group * headDim; k++) {
                s.q[i * group * headDim + k] = q[src + k] * scale;
            }
        }
        int limit = Math.min(slotTo, visibleBase + firstRow + tileRows);
        for (int start = slotFrom; start < limit; ) {
            int b = start / blockTokens;
            int from = start - b * blockTokens;
            int to = Math.min(limit, (b + 1) * blockTokens) - b * blockTokens;
            KvBlock block = blocks[b];
            block.scores(kvHead, from, to, s.q, rowsInTile, s.scores, blockTokens, s.rows);
            for (int r = 0; r < rowsInTile; r++) {
                int visible = visibleBase + firstRow + r / group + 1;
                int valid = Math.clamp(visible - (b * blockTokens + from), 0, to - from);
                s.update(r, valid, to - from, headDim, blockTokens);
            }
            block.accumulate(kvHead, from, to, s.scores, blockTokens, rowsInTile, s.acc, s.rows);
            start = b * blockTokens + to;
        }
    }
}
