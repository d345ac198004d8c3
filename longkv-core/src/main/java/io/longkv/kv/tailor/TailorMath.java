package io.longkv.kv.tailor;

/** Small vector helpers of the token selection. */
final class TailorMath {
    private TailorMath() {
    }

    /** {@code out[i] = mean over j < group of q[from + j * headDim + i]}: a KV head's mean query. */
    static void groupMean(float[] q, int from, int group, int headDim, float[] out) {
        for (int i = 0; i < headDim; i++) {
            float sum = 0;
            for (int j = 0; j < group; j++) {
                sum += q[from + j * headDim + i];
            }
            out[i] = sum / group;
        }
    }
}
