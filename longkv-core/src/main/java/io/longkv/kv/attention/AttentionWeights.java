package io.longkv.kv.attention;

import io.longkv.kv.block.KvBlock;
import io.longkv.tensor.VectorMath;
import java.util.Arrays;

/**
 * Softmax attention weights written out per key instead of fused into the value sum, for methods that
 * rank tokens by the attention they receive (H2O's cumulative scores, SnapKV's observation window). Same
 * scale, masking and GQA grouping as {@link PagedAttention}; the score kernel is the blocks' own.
 */
public final class AttentionWeights {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] q = new float[0];
        float[] run = new float[0];
        float[] rows = new float[0];
        float[] weights = new float[0];
    }

    private AttentionWeights() {
    }

    /**
     * Weights of KV head {@code kvHead}'s query group for query tokens {@code [first, first + count)} of
     * {@code queries} (rows of heads * headDim) over slots {@code [0, slots)}; token i sees the slots below
     * {@code visibleBase + i + 1}. Returns this thread's array holding the weight of token i, group member j
     * and slot t at {@code ((i - first) * group + j) * slots + t} (masked slots 0), valid until the next call.
     */
    public static float[] compute(KvBlock[] blocks, int blockTokens, int slots, int heads, int kvHeads, int headDim,
                                  int kvHead, float[] queries, int first, int count, int visibleBase) {
        int group = heads / kvHeads;
        int rowCount = count * group;
        Scratch s = SCRATCH.get();
        if (s.q.length < rowCount * headDim || s.run.length < rowCount * blockTokens || s.rows.length < blockTokens * headDim) {
            s.q = new float[rowCount * headDim];
            s.run = new float[rowCount * blockTokens];
            s.rows = new float[blockTokens * headDim];
        }
        if (s.weights.length < rowCount * slots) {
            s.weights = new float[rowCount * slots];
        }
        float scale = (float) (1 / Math.sqrt(headDim));
        for (int i = 0; i < count; i++) {
            System.arraycopy(queries, ((first + i) * heads + kvHead * group) * headDim, s.q, i * group * headDim, group * headDim);
        }
        VectorMath.scale(s.q, 0, rowCount * headDim, scale);
        int limit = Math.min(slots, visibleBase + first + count);
        for (int start = 0; start < limit; start += blockTokens) {
            int n = Math.min(blockTokens, limit - start);
            blocks[start / blockTokens].scores(kvHead, 0, n, s.q, rowCount, s.run, blockTokens, s.rows);
            for (int r = 0; r < rowCount; r++) {
                System.arraycopy(s.run, r * blockTokens, s.weights, r * slots + start, n);
            }
        }
        for (int r = 0; r < rowCount; r++) {
            int visible = Math.min(slots, visibleBase + first + r / group + 1);
            VectorMath.softmax(s.weights, r * slots, visible);
            Arrays.fill(s.weights, r * slots + visible, (r + 1) * slots, 0f);
        }
        return s.weights;
    }
}
