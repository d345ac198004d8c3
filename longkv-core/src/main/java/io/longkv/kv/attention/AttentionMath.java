package io.longkv.kv.attention;

import io.longkv.tensor.GgmlExp;
import io.longkv.tensor.VectorMath;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of attention over float rows, shared by every block dtype and method: a query group's
 * scores against a run of keys, and the probability-weighted sum of a run of values.
 */
public final class AttentionMath {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

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
        scores[r * stride + t] = VectorMath.hsum(a0.add(a1));
        scores[(r + 1) * stride + t] = VectorMath.hsum(b0.add(b1));
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
        int i = 0;
        // Whole vectors without masks, a masked one for the tail only: with a mask on every vector, max and
        // expShift over three 64-score rows took 171 ns against 148.
        for (; i <= n - F.length(); i += F.length()) {
            m = m.max(FloatVector.fromArray(F, x, off + i));
        }
        if (i < n) {
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
        int i = 0;
        for (; i <= n - F.length(); i += F.length()) {
            FloatVector e = GgmlExp.exp(FloatVector.fromArray(F, x, off + i).sub(shift));
            e.intoArray(x, off + i);
            sum = sum.add(e);
        }
        if (i < n) {
            VectorMask<Float> valid = F.indexInRange(i, n);
            FloatVector e = GgmlExp.exp(FloatVector.fromArray(F, x, off + i, valid).sub(shift));
            e.intoArray(x, off + i, valid);
            sum = sum.add(e, valid);
        }
        Arrays.fill(x, off + n, off + end, 0f);
        return VectorMath.hsum(sum);
    }

    // ggml's float orders (AVX2's 8 lanes, the species F is fixed to): the exact attention of GgmlAttention
    // reproduces llama.cpp's f32 attention without flash attention bit for bit with them.
    private static final VectorShuffle<Float> HALVES = VectorShuffle.fromValues(F, 4, 5, 6, 7, 0, 1, 2, 3);

    /**
     * {@code scores[off + r * stride + t] = q_r . k_t} for t below {@code count} and r below {@code rows}
     * (query rows of headDim from {@code qOff}), each summed as ggml_vec_dot_f32 does ({@link #ggmlDot});
     * all rows take their turn on a key while it is in cache. When headDim is a multiple of 32, eight keys'
     * vectors are reduced together, bit for bit as one at a time: ggml sums a vector v as
     * {@code ((v0+v4)+(v1+v5)) + ((v2+v6)+(v3+v7))}, and the same additions run on eight keys' vectors at
     * once, lanes regrouped between the steps (each addition is exact in either operand order).
     */
    public static void ggmlScores(float[] keys, int keyOffset, int count, int headDim, float[] q, int qOff, int rows,
                                  float[] scores, int off, int stride) {
        int t = 0;
        if (headDim % 32 == 0) {
            float[] v = DOT_VECTORS.get();
            float[] acc = DOT_ACCUMULATORS.get();
            for (; t + 8 <= count; t += 8) {
                for (int r = 0; r < rows; r++) {
                    int x = qOff + r * headDim;
                    // One ggml_vec_dot_f32 vector per key into v, 64 dims at a time (see dotSegment).
                    for (int i = 0; i < headDim; i += 64) {
                        dotSegment(keys, keyOffset + t * headDim + i, headDim, q, x + i, acc, v, i == 0, i + 64 >= headDim,
                                i + 64 <= headDim);
                    }
                    // Keys k and k + 4 share a vector: the sums of their lanes i and i + 4, key k in the low half.
                    FloatVector w04 = halfSumsOf(v, 0, 32);
                    FloatVector w15 = halfSumsOf(v, 8, 40);
                    FloatVector w26 = halfSumsOf(v, 16, 48);
                    FloatVector w37 = halfSumsOf(v, 24, 56);
                    // Lanes (0+1) and (2+3) of each half, then their sum: the keys end up in order 0..7.
                    FloatVector p01 = w04.rearrange(EVEN).blend(w15.rearrange(EVEN), SECOND_PAIR)
                            .add(w04.rearrange(ODD).blend(w15.rearrange(ODD), SECOND_PAIR));
                    FloatVector p23 = w26.rearrange(EVEN).blend(w37.rearrange(EVEN), SECOND_PAIR)
                            .add(w26.rearrange(ODD).blend(w37.rearrange(ODD), SECOND_PAIR));
                    p01.rearrange(EVEN).blend(p23.rearrange(EVEN), SECOND_PAIR)
                            .add(p01.rearrange(ODD).blend(p23.rearrange(ODD), SECOND_PAIR))
                            .intoArray(scores, off + r * stride + t);
                }
            }
        }
        for (; t < count; t++) {
            int k = keyOffset + t * headDim;
            for (int r = 0; r < rows; r++) {
                scores[off + r * stride + t] = ggmlDot(q, qOff + r * headDim, keys, k, headDim);
            }
        }
    }

    /**
     * Eight keys (rows {@code headDim} apart from {@code y}) against one query row over 64 dims from {@code x}
     * ({@code wide}) or 32: ggml_vec_dot_f32's four accumulators over steps of 32, started at zero
     * ({@code first}) or from {@code acc}, left in {@code acc} for the next segment or, on the {@code last},
     * reduced to {@code (a0 + a2) + (a1 + a3)} in {@code v}. The query stays in registers for the eight keys:
     * reloading it per key made the loads, not the FMAs, the limit. No vector crosses the call: C2 does not
     * inline this method, and boxes a vector returned by a helper it does not inline.
     */
    private static void dotSegment(float[] keys, int y0, int headDim, float[] q, int x, float[] acc, float[] v,
                                   boolean first, boolean last, boolean wide) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector q0 = FloatVector.fromArray(F, q, x);
        FloatVector q1 = FloatVector.fromArray(F, q, x + 8);
        FloatVector q2 = FloatVector.fromArray(F, q, x + 16);
        FloatVector q3 = FloatVector.fromArray(F, q, x + 24);
        FloatVector q4 = wide ? FloatVector.fromArray(F, q, x + 32) : zero;
        FloatVector q5 = wide ? FloatVector.fromArray(F, q, x + 40) : zero;
        FloatVector q6 = wide ? FloatVector.fromArray(F, q, x + 48) : zero;
        FloatVector q7 = wide ? FloatVector.fromArray(F, q, x + 56) : zero;
        for (int k = 0; k < 8; k++) {
            int y = y0 + k * headDim;
            FloatVector a0 = first ? zero : FloatVector.fromArray(F, acc, 32 * k);
            FloatVector a1 = first ? zero : FloatVector.fromArray(F, acc, 32 * k + 8);
            FloatVector a2 = first ? zero : FloatVector.fromArray(F, acc, 32 * k + 16);
            FloatVector a3 = first ? zero : FloatVector.fromArray(F, acc, 32 * k + 24);
            a0 = q0.fma(FloatVector.fromArray(F, keys, y), a0);
            a1 = q1.fma(FloatVector.fromArray(F, keys, y + 8), a1);
            a2 = q2.fma(FloatVector.fromArray(F, keys, y + 16), a2);
            a3 = q3.fma(FloatVector.fromArray(F, keys, y + 24), a3);
            if (wide) {
                a0 = q4.fma(FloatVector.fromArray(F, keys, y + 32), a0);
                a1 = q5.fma(FloatVector.fromArray(F, keys, y + 40), a1);
                a2 = q6.fma(FloatVector.fromArray(F, keys, y + 48), a2);
                a3 = q7.fma(FloatVector.fromArray(F, keys, y + 56), a3);
            }
            if (last) {
                a0.add(a2).add(a1.add(a3)).intoArray(v, 8 * k);
            } else {
                a0.intoArray(acc, 32 * k);
                a1.intoArray(acc, 32 * k + 8);
                a2.intoArray(acc, 32 * k + 16);
                a3.intoArray(acc, 32 * k + 24);
            }
        }
    }

    private static final ThreadLocal<float[]> DOT_VECTORS = ThreadLocal.withInitial(() -> new float[64]);
    private static final ThreadLocal<float[]> DOT_ACCUMULATORS = ThreadLocal.withInitial(() -> new float[8 * 32]);
    // Lanes 0 and 2 (EVEN) or 1 and 3 (ODD) of each 4-lane half, twice; SECOND_PAIR takes the copy from the second vector.
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromValues(F, 0, 2, 0, 2, 4, 6, 4, 6);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromValues(F, 1, 3, 1, 3, 5, 7, 5, 7);
    private static final VectorMask<Float> SECOND_PAIR = VectorMask.fromLong(F, 0xCC);
    private static final VectorMask<Float> HIGH = VectorMask.fromLong(F, 0xF0);

    /** {@code [a0+a4, a1+a5, a2+a6, a3+a7, b0+b4, b1+b5, b2+b6, b3+b7]} of the vectors a and b at {@code v[ia]}, {@code v[ib]}. */
    private static FloatVector halfSumsOf(float[] v, int ia, int ib) {
        FloatVector a = FloatVector.fromArray(F, v, ia);
        FloatVector b = FloatVector.fromArray(F, v, ib);
        return a.blend(b.rearrange(HALVES), HIGH).add(a.rearrange(HALVES).blend(b, HIGH));
    }

    /**
     * ggml_vec_dot_f32 on AVX2: four accumulators of 8 lanes over steps of 32 values, reduced as
     * {@code (a0 + a2) + (a1 + a3)} and then {@code ((l0+l4)+(l1+l5)) + ((l2+l6)+(l3+l7))}; the n mod 32
     * values left over are added one fma at a time.
     */
    public static float ggmlDot(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int np = n & ~31;
        for (int i = 0; i < np; i += 32) {
            a0 = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), a0);
            a1 = FloatVector.fromArray(F, x, xOff + i + 8).fma(FloatVector.fromArray(F, y, yOff + i + 8), a1);
            a2 = FloatVector.fromArray(F, x, xOff + i + 16).fma(FloatVector.fromArray(F, y, yOff + i + 16), a2);
            a3 = FloatVector.fromArray(F, x, xOff + i + 24).fma(FloatVector.fromArray(F, y, yOff + i + 24), a3);
        }
        FloatVector v = a0.add(a2).add(a1.add(a3));
        FloatVector t = v.add(v.rearrange(HALVES));
        float sum = (t.lane(0) + t.lane(1)) + (t.lane(2) + t.lane(3));
        for (int i = np; i < n; i++) {
            sum = Math.fma(x[xOff + i], y[yOff + i], sum);
        }
        return sum;
    }

    /**
     * ggml's soft_max_ext of {@code n} scores in place (the masked rest of ggml's padded row contributes
     * zeros): times {@code scale}, minus the max, ggml_v_expf, a double sum of per-8 hsum_float_8 sums,
     * then times the float of 1/sum.
     */
    public static void ggmlSoftmax(float[] x, int off, int n, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[off + i] *= scale;
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> valid = F.indexInRange(i, n);
            FloatVector e = GgmlExp.exp(FloatVector.fromArray(F, x, off + i, valid).sub(max)).blend(0f, valid.not());
            e.intoArray(x, off + i, valid);
            sum += VectorMath.hsum(e);
        }
        float inverse = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            x[off + i] *= inverse;
        }
    }

    /**
     * The per-lane partial sums of ggml's value product for {@code count} value rows starting at ggml
     * lane {@code lane}: {@code partial[c * headDim + i] += p[pOff + t] * v_t[i]} (one fma) with
     * c = (lane + t) mod {@code lanes}. Prefill (llamafile's tinyBLAS) has 8 lanes, decode
     * (ggml_vec_dot_f32) 32; {@link #ggmlLaneSum} finishes either.
     */
    public static void ggmlValueLanes(float[] values, int valueOffset, int count, int headDim, float[] p, int pOff,
                                      int lane, int lanes, float[] partial) {
        ggmlValueLanes(values, valueOffset, count, headDim, headDim, p, pOff, 0, 1, lane, lanes, partial);
    }

    /**
     * {@link #ggmlValueLanes} for {@code rows} probability rows ({@code pStride} apart) sharing the value
     * rows, over the first {@code width} floats of value rows {@code valueStride} apart: {@code partial[(r
     * * lanes + c) * width + i] += p[pOff + r * pStride + t] * v_t[i]}. Each value row is read from memory
     * once for all rows, and each (row, lane, dim) partial still sums its values in token order, so a
     * caller may split headDim into slices of {@code width} and get the same bits.
     */
    public static void ggmlValueLanes(float[] values, int valueOffset, int count, int valueStride, int width, float[] p,
                                      int pOff, int pStride, int rows, int lane, int lanes, float[] partial) {
        int vectorDims = F.loopBound(width);
        for (int t = 0; t < count; t++) {
            int v = valueOffset + t * valueStride;
            for (int r = 0; r < rows; r++) {
                float pt = p[pOff + r * pStride + t];
                int a = (r * lanes + lane) * width;
                FloatVector pv = FloatVector.broadcast(F, pt);
                int i = 0;
                for (; i < vectorDims; i += F.length()) {
                    FloatVector.fromArray(F, values, v + i).fma(pv, FloatVector.fromArray(F, partial, a + i)).intoArray(partial, a + i);
                }
                for (; i < width; i++) {
                    partial[a + i] = Math.fma(values[v + i], pt, partial[a + i]);
                }
            }
            lane = lane + 1 == lanes ? 0 : lane + 1;
        }
    }

    /**
     * {@code out[o + i]} = the lane partials {@code partial[pOff + c * headDim + i]} of dimension i summed as
     * ggml does: for 8 lanes hsum_float_8 ({@code ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))}), for 32 lanes
     * ggml_vec_dot_f32's reduction.
     */
    public static void ggmlLaneSum(float[] partial, int pOff, int lanes, int headDim, float[] out, int o) {
        for (int i = 0; i < headDim; i++) {
            int d = pOff + i;
            if (lanes == 8) {
                out[o + i] = ((partial[d] + partial[4 * headDim + d]) + (partial[2 * headDim + d] + partial[6 * headDim + d]))
                        + ((partial[headDim + d] + partial[5 * headDim + d]) + (partial[3 * headDim + d] + partial[7 * headDim + d]));
            } else {
                // acc_a holds lanes 8a..8a+7: y = (acc0 + acc2) + (acc1 + acc3), then y's 8 lanes as in ggmlDot.
                float y0 = lane32(partial, headDim, d, 0);
                float y1 = lane32(partial, headDim, d, 1);
                float y2 = lane32(partial, headDim, d, 2);
                float y3 = lane32(partial, headDim, d, 3);
                float y4 = lane32(partial, headDim, d, 4);
                float y5 = lane32(partial, headDim, d, 5);
                float y6 = lane32(partial, headDim, d, 6);
                float y7 = lane32(partial, headDim, d, 7);
                out[o + i] = ((y0 + y4) + (y1 + y5)) + ((y2 + y6) + (y3 + y7));
            }
        }
    }

    private static float lane32(float[] partial, int headDim, int d, int r) {
        return (partial[r * headDim + d] + partial[(16 + r) * headDim + d]) + (partial[(8 + r) * headDim + d] + partial[(24 + r) * headDim + d]);
    }
}
