package io.longkv.kv.attention;

import io.longkv.tensor.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of attention over float rows, shared by every block dtype and method: a query group's
 * scores against a run of keys, and the probability-weighted sum of a run of values.
 */
public final class AttentionMath {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private AttentionMath() {
    }

    /**
     * {@code scores[r * stride + t] = q_r . k_t} for t below {@code count} (keys are rows of headDim at
     * {@code keyOffset}) and r below {@code rows} (query rows of headDim at the start of {@code q}).
     */
    public static void scores(float[] keys, int keyOffset, int count, int headDim, float[] q, int rows,
                              float[] scores, int stride) {
        for (int t = 0; t < count; t++) {
            int k = keyOffset + t * headDim;
            for (int r = 0; r < rows; r++) {
                scores[r * stride + t] = VectorMath.dot(q, r * headDim, keys, k, headDim);
            }
        }
    }

    /**
     * {@code acc[r * headDim + i] += sum_t p[r * stride + t] * v_t[i]} for t below {@code count}; the
     * accumulator stays in registers across the run of values.
     */
    public static void accumulate(float[] values, int valueOffset, int count, int headDim, float[] p, int stride,
                                  int rows, float[] acc) {
        int vectorDims = F.loopBound(headDim);
        for (int r = 0; r < rows; r++) {
            int a = r * headDim;
            int pr = r * stride;
            for (int i = 0; i < vectorDims; i += F.length()) {
                FloatVector sum = FloatVector.fromArray(F, acc, a + i);
                for (int t = 0; t < count; t++) {
                    sum = FloatVector.fromArray(F, values, valueOffset + t * headDim + i).fma(FloatVector.broadcast(F, p[pr + t]), sum);
                }
                sum.intoArray(acc, a + i);
            }
            for (int i = vectorDims; i < headDim; i++) {
                float sum = acc[a + i];
                for (int t = 0; t < count; t++) {
                    sum += p[pr + t] * values[valueOffset + t * headDim + i];
                }
                acc[a + i] = sum;
            }
        }
    }

    /** Largest of {@code x[off .. off + n)}; negative infinity when n is 0. */
    public static float max(float[] x, int off, int n) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> valid = F.indexInRange(i, n);
            m = m.max(FloatVector.fromArray(F, x, off + i, valid).blend(Float.NEGATIVE_INFINITY, valid.not()));
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    /**
     * Replaces {@code x[off .. off + n)} by {@code exp(x - shift)}, zeroes {@code x[off + n .. off + end)}
     * (the masked tail of a run) and returns the sum of the exponentials.
     */
    public static float expShift(float[] x, int off, int n, int end, float shift) {
        FloatVector sum = FloatVector.zero(F);
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> valid = F.indexInRange(i, n);
            FloatVector e = FloatVector.fromArray(F, x, off + i, valid).sub(shift).lanewise(VectorOperators.EXP, valid);
            e.intoArray(x, off + i, valid);
            sum = sum.add(e, valid);
        }
        for (int i = n; i < end; i++) {
            x[off + i] = 0;
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
