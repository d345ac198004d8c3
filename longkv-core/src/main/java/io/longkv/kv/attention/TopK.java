package io.longkv.kv.attention;

/** The k largest of a run of scores, by quickselect on a copy (O(n), no allocation): Quest's pages, TailorKV's tokens. */
public final class TopK {
    private TopK() {
    }

    /** The k-th largest (1-based) of {@code scores[from .. from + n)}, 1 <= k <= n; {@code tmp} holds at least n floats. */
    public static float threshold(float[] scores, int from, int n, int k, float[] tmp) {
        System.arraycopy(scores, from, tmp, 0, n);
        int target = n - k;
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            float pivot = tmp[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (tmp[i] < pivot) {
                    i++;
                }
                while (tmp[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = tmp[i];
                    tmp[i++] = tmp[j];
                    tmp[j--] = t;
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
        return tmp[target];
    }

    /**
     * Writes the indices (relative to {@code from}, ascending) of the {@code k} largest of
     * {@code scores[from .. from + n)} into {@code out} (ties broken by position) and returns k.
     * {@code tmp} holds at least n floats.
     */
    public static int indices(float[] scores, int from, int n, int k, float[] tmp, int[] out) {
        if (k <= 0) {
            return 0;
        }
        float threshold = threshold(scores, from, n, k, tmp);
        int above = 0;
        for (int i = 0; i < n; i++) {
            if (scores[from + i] > threshold) {
                above++;
            }
        }
        int ties = k - above;
        int count = 0;
        for (int i = 0; i < n; i++) {
            float s = scores[from + i];
            if (s > threshold || (s == threshold && ties-- > 0)) {
                out[count++] = i;
            }
        }
        return count;
    }
}
