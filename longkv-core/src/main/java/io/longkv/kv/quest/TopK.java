package io.longkv.kv.quest;

/** The k-th largest of a run of scores, by quickselect on a copy (O(n), no allocation). */
final class TopK {
    private TopK() {
    }

    /** The k-th largest (1-based) of {@code scores[from .. from + n)}, 1 <= k <= n; {@code tmp} holds at least n floats. */
    static float threshold(float[] scores, int from, int n, int k, float[] tmp) {
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
}
