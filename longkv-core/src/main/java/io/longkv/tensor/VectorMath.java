package io.longkv.tensor;

import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Vectorized float helpers of the forward pass. Arrays are read and written in place. */
public final class VectorMath {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorShuffle<Float> HALVES = VectorShuffle.fromValues(F, 4, 5, 6, 7, 0, 1, 2, 3);

    private VectorMath() {
    }

    /**
     * The sum of a 256-bit vector's 8 lanes in one fixed order, ggml's hsum_float_8:
     * {@code ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))}. Not {@code reduceLanes(ADD)}: the Vector API leaves its
     * order open, and a cold (interpreted) call and a C2-compiled one added in different orders, so the
     * same input gave logits a few ulps apart depending on JIT warm-up.
     */
    public static float hsum(FloatVector v) {
        FloatVector pairs = v.add(v.rearrange(HALVES));
        return (pairs.lane(0) + pairs.lane(2)) + (pairs.lane(1) + pairs.lane(3));
    }

    /** Sum of {@code a[aOff + i] * b[bOff + i]} for i below n. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        Objects.checkFromIndexSize(aOff, n, a.length);
        Objects.checkFromIndexSize(bOff, n, b.length);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        // Two accumulators hide the FMA latency.
        for (int bound = n - 2 * F.length(); i <= bound; i += 2 * F.length()) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOff + i + F.length()).fma(FloatVector.fromArray(F, b, bOff + i + F.length()), acc1);
        }
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
        }
        float sum = hsum(acc0.add(acc1));
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    public static float dot(float[] a, float[] b, int n) {
        return dot(a, 0, b, 0, n);
    }

    /** {@code out[i] = x[i] * weight[i] / sqrt(mean(x^2) + eps)} for i below n; out may be x. */
    public static void rmsnorm(float[] out, float[] x, float[] weight, int n, float eps) {
        rmsnorm(out, 0, x, 0, weight, n, eps);
    }

    /**
     * RMSNorm of {@code x[xOff .. xOff + n)} times {@code weight} into {@code out[outOff ..]}, rounded as
     * ggml's rms_norm: float squares summed in order in double, scale 1/sqrtf(mean + eps) in float, then
     * (x * scale) * weight.
     */
    public static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        Objects.checkFromIndexSize(outOff, n, out.length);
        Objects.checkFromIndexSize(xOff, n, x.length);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            sum += v * v;
        }
        float mean = (float) (sum / n);
        float scale = 1f / (float) Math.sqrt(mean + eps);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).mul(scale).mul(FloatVector.fromArray(F, weight, i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[i];
        }
    }

    /** Softmax of {@code x[off .. off + n)} in place. */
    public static void softmax(float[] x, int off, int n) {
        Objects.checkFromIndexSize(off, n, x.length);
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        int bound = F.loopBound(n);
        if (bound > 0) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += F.length()) {
                m = m.max(FloatVector.fromArray(F, x, off + i));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        FloatVector sumV = FloatVector.zero(F);
        i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector e = GgmlExp.exp(FloatVector.fromArray(F, x, off + i).sub(max));
            e.intoArray(x, off + i);
            sumV = sumV.add(e);
        }
        float sum = hsum(sumV);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        scale(x, off, n, 1f / sum);
    }

    /** SwiGLU: {@code gate[i] = silu(gate[i]) * up[i]} for i below n, with ggml's SiLU ({@link GgmlExp#silu}). */
    public static void swiglu(float[] gate, float[] up, int n) {
        Objects.checkFromIndexSize(0, n, gate.length);
        Objects.checkFromIndexSize(0, n, up.length);
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> valid = F.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(F, gate, i, valid);
            GgmlExp.silu(g).mul(FloatVector.fromArray(F, up, i, valid)).intoArray(gate, i, valid);
        }
    }

    /** {@code y[yOff + i] += a * x[xOff + i]} for i below n. */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.broadcast(F, a), FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /** {@code y[i] += x[i]} for i below n (residual connections). */
    public static void add(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, y, i).add(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] += x[i];
        }
    }

    /** {@code x[off + i] *= s} for i below n. */
    public static void scale(float[] x, int off, int n, float s) {
        Objects.checkFromIndexSize(off, n, x.length);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, off + i).mul(s).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= s;
        }
    }

    public static float f16ToF32(short half) {
        return Float.float16ToFloat(half);
    }

    public static short f32ToF16(float value) {
        return Float.floatToFloat16(value);
    }

    /** Converts {@code n} halves to floats (a loop C2 vectorizes with F16C where available). */
    public static void f16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float.float16ToFloat(src[srcOff + i]);
        }
    }

    /** Converts {@code n} floats to halves, rounding to nearest even. */
    public static void f32ToF16(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float.floatToFloat16(src[srcOff + i]);
        }
    }
}
