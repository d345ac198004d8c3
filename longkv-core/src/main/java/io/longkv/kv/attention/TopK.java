package io.longkv.kv.attention;

/**
 * The k largest of a run of scores (Quest's pages, TailorKV's tokens), exactly, with no allocation: the k-th
 * largest is found by quickselect, on the whole copy for large k, and for small k (TailorKV picks ~1.5% of
 * the prompt every step of every layer) only among the scores at or above a cut taken from a sample, which
 * keeps a few times k candidates; should the cut be too high, the whole copy is searched after all.
 */
public final class TopK {
    /** Scores sampled for the cut. */
    private static final int SAMPLE = 256;

    private TopK() {
    }

    /** The k-th largest (1-based) of {@code scores[from .. from + n)}, 1 <= k <= n; {@code tmp} holds at least n floats. */
    public static float threshold(float[] scores, int from, int n, int k, float[] tmp) {
        if (n >= 4 * SAMPLE && k * 16 <= n) {
            float cut = sampledCut(scores, from, n, k, tmp);
            int candidates = 0;
            for (int i = 0; i < n; i++) {
                float s = scores[from + i];
                tmp[candidates] = s; // branch-free: kept only when the count moves on
                candidates += s >= cut ? 1 : 0;
            }
            if (candidates >= k) {
                return kthLargest(tmp, candidates, k);
            }
        }
        System.arraycopy(scores, from, tmp, 0, n);
        return kthLargest(tmp, n, k);
    }

    /**
     * A value expected to have about 2k + n/32 of the n scores at or above it: the matching rank of an
     * evenly strided sample. Only speed depends on it; exactness does not.
     */
    private static float sampledCut(float[] scores, int from, int n, int k, float[] tmp) {
        int step = n / SAMPLE;
        for (int i = 0; i < SAMPLE; i++) {
            tmp[i] = scores[from + i * step];
        }
        int rank = Math.min(SAMPLE, (int) ((2L * k * SAMPLE + n - 1) / n) + 8);
        return kthLargest(tmp, SAMPLE, rank);
    }

    /** The k-th largest of {@code values[0 .. n)} by quickselect (reorders them). */
    private static float kthLargest(float[] values, int n, int k) {
        int target = n - k;
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            float pivot = values[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = values[i];
                    values[i++] = values[j];
                    values[j--] = t;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return values[target];
    }

    /**
     * Writes the indices (relative to {@code from}, ascending) of the {@code k} largest of
     * {@code scores[from .. from + n)} into {@code out} (ties broken by position) and returns k.
     * {@code tmp} holds at least n floats, {@code out} at least n ints (ties are gathered there before the latest go).
     */
    public static int indices(float[] scores, int from, int n, int k, float[] tmp, int[] out) {
        if (k <= 0) {
            return 0;
        }
        float threshold = threshold(scores, from, n, k, tmp);
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (scores[from + i] >= threshold) {
                out[count++] = i;
            }
        }
        if (count > k) {
            // More ties at the threshold than places left: the latest of them go.
            int excess = count - k;
            for (int j = count - 1; excess > 0; j--) {
                if (scores[from + out[j]] == threshold) {
                    out[j] = -1;
                    excess--;
                }
            }
            int kept = 0;
            for (int j = 0; j < count; j++) {
                if (out[j] >= 0) {
                    out[kept++] = out[j];
                }
            }
            count = kept;
        }
        return count;
    }
}
