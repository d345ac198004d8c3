package io.longkv.sampling;

/** Read-only views of a logit row: log-sum-exp, log-probabilities and the top tokens. */
public final class Logits {
    private Logits() {
    }

    /** log(sum(exp(logits))) over {@code logits[offset .. offset + n)}, in double precision. */
    public static double logSumExp(float[] logits, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + n; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = offset; i < offset + n; i++) {
            sum += Math.exp(logits[i] - max);
        }
        return max + Math.log(sum);
    }

    /** The id of the largest logit in {@code logits[offset .. offset + n)} (lowest id on ties). */
    public static int argmaxAt(float[] logits, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Fills {@code out} with the ids of the {@code out.length} largest logits, largest first. */
    public static void topK(float[] logits, int offset, int n, int[] out) {
        topK(logits, offset, n, out, out.length);
    }

    /** Fills {@code out[0 .. k)} with the ids of the k largest logits, largest first; O(n k) worst case. */
    public static void topK(float[] logits, int offset, int n, int[] out, int k) {
        k = Math.min(k, n);
        int size = 0;
        for (int id = 0; id < n; id++) {
            float v = logits[offset + id];
            if (size == k && v <= logits[offset + out[k - 1]]) {
                continue;
            }
            int i = size < k ? size++ : k - 1;
            while (i > 0 && logits[offset + out[i - 1]] < v) {
                out[i] = out[i - 1];
                i--;
            }
            out[i] = id;
        }
    }
}
