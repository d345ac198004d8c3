package io.longkv.kv.attention;

import io.longkv.tensor.VectorMath;
import java.util.Arrays;

/** One thread's working state for a tile of query rows: queries, a block of scores, and the online-softmax state. */
final class TileScratch {
    float[] q = new float[0];
    float[] scores = new float[0];
    float[] max = new float[0];
    float[] sum = new float[0];
    float[] acc = new float[0];
    /** Rows of one block widened to floats (f16 and q8_0 blocks). */
    float[] rows = new float[0];

    void reset(int rowCount, int headDim, int blockTokens) {
        if (max.length < rowCount || q.length < rowCount * headDim || scores.length < rowCount * blockTokens
                || rows.length < blockTokens * headDim) {
            q = new float[rowCount * headDim];
            scores = new float[rowCount * blockTokens];
            max = new float[rowCount];
            sum = new float[rowCount];
            acc = new float[rowCount * headDim];
            rows = new float[blockTokens * headDim];
        }
        Arrays.fill(max, 0, rowCount, Float.NEGATIVE_INFINITY);
        Arrays.fill(sum, 0, rowCount, 0f);
        Arrays.fill(acc, 0, rowCount * headDim, 0f);
    }

    /**
     * Folds row r's scores of a run ({@code valid} of {@code count} visible) into its state: the running
     * max moves up, what was summed so far is rescaled, and the scores become probabilities (masked ones 0).
     */
    void update(int r, int valid, int count, int headDim, int stride) {
        int off = r * stride;
        if (valid == 0) {
            Arrays.fill(scores, off, off + count, 0f);
            return;
        }
        float runMax = AttentionMath.max(scores, off, valid);
        float newMax = Math.max(max[r], runMax);
        if (newMax > max[r] && sum[r] > 0) {
            float correction = (float) Math.exp(max[r] - newMax);
            sum[r] *= correction;
            VectorMath.scale(acc, r * headDim, headDim, correction);
        }
        max[r] = newMax;
        sum[r] += AttentionMath.expShift(scores, off, valid, count, newMax);
    }

    /** Writes the normalized output of a tile's rows (token rows of {@code group} heads) into {@code out}. */
    void finish(int rowCount, int headDim, float[] out, int firstRow, int heads, int kvHead, int group) {
        for (int r = 0; r < rowCount; r++) {
            int token = firstRow + r / group;
            int head = kvHead * group + r % group;
            int o = (token * heads + head) * headDim;
            float inv = 1 / sum[r];
            for (int i = 0; i < headDim; i++) {
                out[o + i] = acc[r * headDim + i] * inv;
            }
        }
    }
}
