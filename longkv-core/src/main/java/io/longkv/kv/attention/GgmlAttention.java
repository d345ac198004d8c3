package io.longkv.kv.attention;

import io.longkv.kv.block.KvBlock;
import io.longkv.tensor.Parallel;
import java.util.Arrays;

/**
 * Attention over blocks as llama.cpp computes it with an f32 cache and no flash attention, bit for bit:
 * each query row's scores over every visible key (ggml_vec_dot_f32), ggml's soft_max_ext, then the
 * value product in the order of the kernel llama.cpp picks: llamafile's tinyBLAS (8 lanes) when a call
 * has two or more query tokens, ggml_vec_dot_f32 (32 lanes) for one. The full f32 cache's default path:
 * it keeps a score row per query row instead of {@link PagedAttention}'s online softmax, which cannot
 * round as llama.cpp does. Per-thread scratch grows once, so nothing is allocated per token.
 */
public final class GgmlAttention {
    private static final int TILE_TOKENS = 16;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int heads;
    private final int kvHeads;
    private final int group;
    private final int headDim;
    private final float scale;

    public GgmlAttention(int heads, int kvHeads, int headDim) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.group = heads / kvHeads;
        this.headDim = headDim;
        this.scale = 1f / (float) Math.sqrt(headDim); // llama.cpp's kq_scale = 1.0f/sqrtf(float(n_embd_head))
    }

    /**
     * Attention of the last {@code rows} of {@code stored} slots (query rows of heads * headDim in {@code q})
     * into {@code out}; row i sees slots {@code [0, stored - rows + i + 1)}.
     *
     * @return key/value token rows read per KV head (for the traffic counters)
     */
    public long attend(KvBlock[] blocks, int blockTokens, int stored, float[] q, int rows, float[] out) {
        int visibleBase = stored - rows;
        if (rows == 1) {
            decode(blocks, blockTokens, stored, q, out);
            return stored;
        }
        int tiles = (rows + TILE_TOKENS - 1) / TILE_TOKENS;
        Parallel.parallelFor(kvHeads * tiles, (from, to) -> {
            for (int task = from; task < to; task++) {
                int firstToken = (task / kvHeads) * TILE_TOKENS;
                run(blocks, blockTokens, task % kvHeads, firstToken, Math.min(TILE_TOKENS, rows - firstToken), visibleBase, q, out);
            }
        });
        long read = 0;
        for (int t = 0; t < tiles; t++) {
            read += visibleBase + Math.min(rows, (t + 1) * TILE_TOKENS);
        }
        return read;
    }

    /**
     * One query token: the {@code group} query heads of a KV head share its keys and values, so each key
     * and value row is read once for all of them (one task per query head read them {@code group} times).
     * Scores split over (KV head, block), softmax over heads, values over KV heads (or halves of head_dim):
     * each score, probability and (head, lane, dim) partial is computed as one head alone would, so the
     * result does not depend on the split.
     */
    private void decode(KvBlock[] blocks, int blockTokens, int stored, float[] q, float[] out) {
        Scratch caller = SCRATCH.get();
        caller.ensureScores(heads * stored);
        float[] scores = caller.scores; // head h's row at h * stored; tasks write disjoint parts
        int blockCount = (stored + blockTokens - 1) / blockTokens;
        Parallel.parallelFor(kvHeads * blockCount, (from, to) -> {
            float[] keyScratch = SCRATCH.get().ensureRows(blockTokens * headDim);
            for (int task = from; task < to; task++) {
                int kvHead = task / blockCount;
                int start = (task % blockCount) * blockTokens;
                blocks[task % blockCount].ggmlScores(kvHead, 0, Math.min(blockTokens, stored - start), q, kvHead * group * headDim,
                        group, scores, kvHead * group * stored + start, stored, keyScratch);
            }
        });
        Parallel.parallelFor(heads, (from, to) -> {
            for (int h = from; h < to; h++) {
                AttentionMath.ggmlSoftmax(scores, h * stored, stored, scale);
            }
        });
        // A task per KV head: slices of head_dim read every row strided and measured slower than whole rows
        // (16 dims: 1.5x), so only the heads left over after an even share per thread are cut, one slice per
        // thread of at least 16 dims (else none is), and run last, after the whole heads.
        int threads = Parallel.threads();
        int whole = headDim % (16 * threads) == 0 ? kvHeads - kvHeads % threads : kvHeads;
        int tasks = whole + (kvHeads - whole) * threads;
        int sliceWidth = headDim / threads;
        Parallel.parallelFor(tasks, (from, to) -> {
            Scratch s = SCRATCH.get();
            float[] valueScratch = s.ensureRows(blockTokens * headDim);
            float[] partial = s.ensurePartial(group * 32 * headDim);
            for (int task = from; task < to; task++) {
                int kvHead = task < whole ? task : whole + (task - whole) / threads;
                int dim = task < whole ? 0 : ((task - whole) % threads) * sliceWidth;
                int width = task < whole ? headDim : sliceWidth;
                Arrays.fill(partial, 0, group * 32 * width, 0f);
                for (int start = 0; start < stored; start += blockTokens) {
                    blocks[start / blockTokens].ggmlValueLanes(kvHead, 0, Math.min(blockTokens, stored - start), dim, width,
                            scores, kvHead * group * stored + start, stored, group, start % 32, 32, partial, valueScratch);
                }
                for (int r = 0; r < group; r++) {
                    AttentionMath.ggmlLaneSum(partial, r * 32 * width, 32, width, out, (kvHead * group + r) * headDim + dim);
                }
            }
        });
    }

    /** KV head {@code kvHead}'s query heads for {@code tokens} query tokens from {@code firstToken}, tinyBLAS's 8 lanes. */
    private void run(KvBlock[] blocks, int blockTokens, int kvHead, int firstToken, int tokens, int visibleBase, float[] q,
                     float[] out) {
        int lanes = 8;
        int rowCount = tokens * group;
        int stride = visibleBase + firstToken + tokens;
        Scratch s = SCRATCH.get();
        s.ensure(rowCount, headDim, stride, lanes, blockTokens);
        for (int r = 0; r < rowCount; r++) {
            int src = ((firstToken + r / group) * heads + kvHead * group + r % group) * headDim;
            System.arraycopy(q, src, s.q, r * headDim, headDim);
        }
        for (int start = 0; start < stride; start += blockTokens) {
            int end = Math.min(stride, start + blockTokens);
            blocks[start / blockTokens].ggmlScores(kvHead, 0, end - start, s.q, 0, rowCount, s.scores, start, stride, s.rows);
        }
        for (int r = 0; r < rowCount; r++) {
            int visible = visibleBase + firstToken + r / group + 1;
            AttentionMath.ggmlSoftmax(s.scores, r * stride, visible, scale);
            Arrays.fill(s.partial, 0, lanes * headDim, 0f);
            for (int start = 0; start < visible; start += blockTokens) {
                int end = Math.min(visible, start + blockTokens);
                blocks[start / blockTokens].ggmlValueLanes(kvHead, 0, end - start, 0, headDim, s.scores, r * stride + start, 0, 1,
                        start % lanes, lanes, s.partial, s.rows);
            }
            int o = ((firstToken + r / group) * heads + kvHead * group + r % group) * headDim;
            AttentionMath.ggmlLaneSum(s.partial, 0, lanes, headDim, out, o);
        }
    }

    private static final class Scratch {
        float[] q = new float[0];
        float[] scores = new float[0];
        float[] partial = new float[0];
        float[] rows = new float[0];

        void ensure(int rowCount, int headDim, int stride, int lanes, int blockTokens) {
            if (q.length < rowCount * headDim) {
                q = new float[rowCount * headDim];
            }
            ensureScores(rowCount * stride);
            ensurePartial(lanes * headDim);
            ensureRows(blockTokens * headDim);
        }

        void ensureScores(int n) {
            if (scores.length < n) {
                scores = new float[Math.max(n, scores.length * 2)];
            }
        }

        float[] ensurePartial(int n) {
            if (partial.length < n) {
                partial = new float[n];
            }
            return partial;
        }

        float[] ensureRows(int n) {
            if (rows.length < n) {
                rows = new float[n];
            }
            return rows;
        }
    }
}
