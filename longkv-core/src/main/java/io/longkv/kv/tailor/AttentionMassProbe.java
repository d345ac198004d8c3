package io.longkv.kv.tailor;

import io.longkv.kv.LayerKvCache;
import io.longkv.kv.OnePromptCache;
import io.longkv.kv.attention.TopK;
import io.longkv.tensor.VectorMath;

/**
 * A layer cache for profiling: attention is the wrapped cache's, and for query rows among the last
 * {@code lastQ} of a prompt of known length it also measures, per query head, the softmax mass outside the
 * row's top {@code k} keys (TailorKV's identification metric). Keeps its own f32 copy of the keys.
 */
final class AttentionMassProbe extends OnePromptCache {
    private final int heads;
    private final int group;
    private final int headDim;
    private final int kvDim;
    private final int promptTokens;
    private final int lastQ;
    private final int topKeys;
    private final float[] keys;
    private final float[] probabilities;
    private final float[] tmp;
    private double outsideSum;
    private int rows;

    /** @param topKeys keys kept per row (the paper: int(alpha * prompt length)) */
    AttentionMassProbe(LayerKvCache inner, int heads, int kvHeads, int headDim, int promptTokens, int lastQ, int topKeys) {
        super(inner, "a profiling probe");
        this.heads = heads;
        this.group = heads / kvHeads;
        this.headDim = headDim;
        this.kvDim = kvHeads * headDim;
        this.promptTokens = promptTokens;
        this.lastQ = lastQ;
        this.topKeys = topKeys;
        this.keys = new float[promptTokens * kvDim];
        this.probabilities = new float[promptTokens];
        this.tmp = new float[promptTokens];
    }

    /** Mean mass outside the top keys over the rows measured so far (per query head). */
    double outsideMass() {
        return rows == 0 ? 0 : outsideSum / rows;
    }

    @Override
    public void append(int position, float[] k, float[] v, int tokens) {
        if (position + tokens > promptTokens) {
            throw new IllegalStateException("the probe was sized for " + promptTokens + " tokens");
        }
        inner.append(position, k, v, tokens);
        System.arraycopy(k, 0, keys, position * kvDim, tokens * kvDim);
    }

    @Override
    public void attend(int position, float[] queries, int tokens, float[] out) {
        inner.attend(position, queries, tokens, out);
        for (int i = 0; i < tokens; i++) {
            int row = position + i;
            if (row >= promptTokens - lastQ) {
                for (int h = 0; h < heads; h++) {
                    measure(queries, (i * heads + h) * headDim, h / group, row + 1);
                }
            }
        }
    }

    /** The mass outside the {@code topKeys} largest of a row's {@code visible} attention probabilities. */
    static double outside(float[] probabilities, int visible, int topKeys, float[] tmp) {
        if (visible <= topKeys) {
            return 0;
        }
        float threshold = TopK.threshold(probabilities, 0, visible, topKeys, tmp);
        double kept = 0;
        int above = 0;
        for (int t = 0; t < visible; t++) {
            if (probabilities[t] > threshold) {
                kept += probabilities[t];
                above++;
            }
        }
        kept += (double) (topKeys - above) * threshold;
        return Math.max(0, 1 - kept);
    }

    /** Adds one query head's row: softmax of q.k / sqrt(d) over the {@code visible} keys. */
    private void measure(float[] queries, int qOffset, int kvHead, int visible) {
        float scale = (float) (1 / Math.sqrt(headDim));
        for (int t = 0; t < visible; t++) {
            probabilities[t] = VectorMath.dot(queries, qOffset, keys, t * kvDim + kvHead * headDim, headDim) * scale;
        }
        VectorMath.softmax(probabilities, 0, visible);
        outsideSum += outside(probabilities, visible, topKeys, tmp);
        rows++;
    }
}
