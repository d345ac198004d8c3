package io.longkv.kv.attention;

import io.longkv.tensor.Parallel;
import io.longkv.tensor.VectorMath;
import java.util.Arrays;

/**
 * Exact causal attention over float32 keys and values stored token-major ({@code kvHeads * headDim}
 * floats per token), parallel over (query row, head). GQA: query head h reads KV head h / group.
 */
public final class DenseAttention {
    private final int heads;
    private final int headDim;
    private final int group;
    private final int kvDim;
    private final float scale;
    private final ThreadLocal<float[]> scores = ThreadLocal.withInitial(() -> new float[1024]);

    public DenseAttention(int heads, int kvHeads, int headDim) {
        this.heads = heads;
        this.headDim = headDim;
        this.group = heads / kvHeads;
        this.kvDim = kvHeads * headDim;
        this.scale = (float) (1 / Math.sqrt(headDim));
    }

    public void attend(float[] keys, float[] values, int position, float[] queries, int tokens, float[] out) {
        Parallel.parallelFor(tokens * heads, (from, to) -> {
            for (int task = from; task < to; task++) {
                int row = task / heads;
                int head = task % heads;
                attendOne(keys, values, position + row + 1, queries, (row * heads + head) * headDim,
                        (head / group) * headDim, out);
            }
        });
    }

    /** One query head over the first {@code visible} tokens. */
    private void attendOne(float[] keys, float[] values, int visible, float[] q, int qOffset, int kvOffset, float[] out) {
        float[] s = scores.get();
        if (s.length < visible) {
            s = new float[Math.max(visible, s.length * 2)];
            scores.set(s);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < visible; t++) {
            float score = VectorMath.dot(q, qOffset, keys, t * kvDim + kvOffset, headDim) * scale;
            s[t] = score;
            max = Math.max(max, score);
        }
        float sum = 0;
        for (int t = 0; t < visible; t++) {
            float e = (float) Math.exp(s[t] - max);
            s[t] = e;
            sum += e;
        }
        float inv = 1 / sum;
        int o = qOffset;
        Arrays.fill(out, o, o + headDim, 0f);
        for (int t = 0; t < visible; t++) {
            VectorMath.axpy(s[t] * inv, values, t * kvDim + kvOffset, out, o, headDim);
        }
    }
}
