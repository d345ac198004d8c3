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
        int pairedRows = headDim % (2 * F.length()) == 0 ? rows & ~1 : 0;
        for (int t = 0; t < count; t++) {
            int k = keyOffset + t * headDim;
            // Two query rows per pass read each key vector once and keep four independent FMA chains.
            for (int r = 0; r < pairedRows; r += 2) {
                scorePair(keys, k, headDim, q, r, scores, stride, t);
            }
            for (int r = pairedRows; r < rows; r++) {
                scores[r * stride + t] = VectorMath.dot(q, r * headDim, keys, k, headDim);
            }
        }
    }

    /** Scores of query rows r and r + 1 against the key at k; sums as {@link VectorMath#dot} does, bit for bit. */
    private static void scorePair(float[] keys, int k, int headDim, float[] q, int r, float[] scores, int stride, int t) {
        int q0 = r * headDim;
        int q1 = q0 + headDim;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        for (int i = 0; i < headDim; i += 2 * F.length()) {
            FloatVector k0 = FloatVector.fromArray(F, keys, k + i);
            FloatVector k1 = FloatVector.fromArray(F, keys, k + i + F.length());
            a0 = FloatVector.fromArray(F, q, q0 + i).fma(k0, a0);
            a1 = FloatVector.fromArray(F, q, q0 + i + F.length()).fma(k1, a1);
            b0 = FloatVector.fromArray(F, q, q1 + i).fma(k0, b0);
            b1 = FloatVector.fromArray(F, q, q1 + i + F.length()).fma(k1, b1);
        }
        scores[r * stride + t] = a0.add(a1).reduceLanes(VectorOperators.ADD);
        scores[(r + 1) * stride + t] = b0.add(b1).reduceLanes(VectorOperators.ADD);
    }

    /**
     * {@code acc[r * headDim + i] += sum_t p[r * stride + t] * v_t[i]} for t below {@code count}; the
     * accumulator stays in registers across the run of values.
     */
    public static void accumulate(float[] values, int valueOffset, int count, int headDim, float[] p, int stride,
                                  int rows, float[] acc) {
        int vectorDims = F.loopBound(headDim);
        int wide = 8 * F.length();
        for (int r = 0; r < rows; r++) {
            int a = r * headDim;
            int pr = r * stride;
            int i = 0;
            // Eight independent FMA chains over the run (one chain would wait on each FMA's latency); each
            // lane still sums over t in order, so the result does not depend on the chunking.
            for (; i + wide <= vectorDims; i += wide) {
                FloatVector s0 = FloatVector.fromArray(F, acc, a + i);
                FloatVector s1 = FloatVector.fromArray(F, acc, a + i + F.length());
                FloatVector s2 = FloatVector.fromArray(F, acc, a + i + 2 * F.length());
                FloatVector s3 = FloatVector.fromArray(F, acc, a + i + 3 * F.length());
                FloatVector s4 = FloatVector.fromArray(F, acc, a + i + 4 * F.length());
                FloatVector s5 = FloatVector.fromArray(F, acc, a + i + 5 * F.length());
                FloatVector s6 = FloatVector.fromArray(F, acc, a + i + 6 * F.length());
                FloatVector s7 = FloatVector.fromArray(F, acc, a + i + 7 * F.length());
                for (int t = 0; t < count; t++) {
                    FloatVector pt = FloatVector.broadcast(F, p[pr + t]);
                    int v = valueOffset + t * headDim + i;
                    s0 = FloatVector.fromArray(F, values, v).fma(pt, s0);
                    s1 = FloatVector.fromArray(F, values, v + F.length()).fma(pt, s1);
                    s2 = FloatVector.fromArray(F, values, v + 2 * F.length()).fma(pt, s2);
                    s3 = FloatVector.fromArray(F, values, v + 3 * F.length()).fma(pt, s3);
                    s4 = FloatVector.fromArray(F, values, v + 4 * F.length()).fma(pt, s4);
                    s5 = FloatVector.fromArray(F, values, v + 5 * F.length()).fma(pt, s5);
                    s6 = FloatVector.fromArray(F, values, v + 6 * F.length()).fma(pt, s6);
                    s7 = FloatVector.fromArray(F, values, v + 7 * F.length()).fma(pt, s7);
                }
                s0.intoArray(acc, a + i);
                s1.intoArray(acc, a + i + F.length());
                s2.intoArray(acc, a + i + 2 * F.length());
                s3.intoArray(acc, a + i + 3 * F.length());
                s4.intoArray(acc, a + i + 4 * F.length());
                s5.intoArray(acc, a + i + 5 * F.length());
                s6.intoArray(acc, a + i + 6 * F.length());
                s7.intoArray(acc, a + i + 7 * F.length());
            }
            for (; i < vectorDims; i += F.length()) {
                FloatVector sum = FloatVector.fromArray(F, acc, a + i);
                for (int t = 0; t < count; t++) {
                    sum = FloatVector.fromArray(F, values, valueOffset + t * headDim + i).fma(FloatVector.broadcast(F, p[pr + t]), sum);
                }
                sum.intoArray(acc, a + i);
            }
            for (i = vectorDims; i < headDim; i++) {
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
