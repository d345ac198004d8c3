package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.S128;

import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * An activation vector quantized to 8 bits in blocks of 32, as llama.cpp's q8_1 (and q8_0): per block
 * the scale d = max|x| / 127 and codes rint(x * 127 / max|x|), plus s = d * sum(codes). The scale and
 * the sum are rounded to f16 as llama.cpp stores them, so the products below round as llama.cpp's do.
 * Codes are held as shorts: the int8 kernels multiply 16-bit lanes (AVX2 has no byte multiply the
 * Vector API exposes), and |code| <= 127 keeps every pair of products inside a short.
 */
final class Q8Activations {
    static final int BLOCK = 32;
    private static final float ROUNDER = 0x1.8p23f;
    private static final ThreadLocal<Q8Activations> PER_THREAD = ThreadLocal.withInitial(() -> new Q8Activations(0));

    short[] codes;
    /** The codes with each block in {@link GgmlBlockOrder#GROUPED} order, after {@link #group}. */
    short[] grouped = new short[0];
    float[] scales;
    float[] sums;
    private int length;

    Q8Activations(int length) {
        resize(length);
    }

    /** The calling thread's buffer holding {@code x[offset .. offset + length)} quantized. */
    static Q8Activations ofThread(float[] x, int offset, int length) {
        Q8Activations a = PER_THREAD.get();
        a.quantize(x, offset, length);
        return a;
    }

    /** A new buffer holding {@code x[offset .. offset + length)} quantized, codes also grouped. */
    static Q8Activations of(float[] x, int offset, int length) {
        Q8Activations a = new Q8Activations(length);
        a.quantize(x, offset, length);
        a.group();
        return a;
    }

    int length() {
        return length;
    }

    /** The value element {@code i} stands for: its code times its block's f16 scale. */
    float value(int i) {
        return codes[i] * scales[i / BLOCK];
    }

    void quantize(float[] x, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, x.length);
        if (length % BLOCK != 0) {
            throw new IllegalArgumentException("activations are quantized in blocks of " + BLOCK + ", got " + length);
        }
        if (codes.length < length) {
            resize(length);
        }
        this.length = length;
        for (int b = 0; b < length / BLOCK; b++) {
            int from = offset + b * BLOCK;
            FloatVector v0 = FloatVector.fromArray(F, x, from);
            FloatVector v1 = FloatVector.fromArray(F, x, from + 8);
            FloatVector v2 = FloatVector.fromArray(F, x, from + 16);
            FloatVector v3 = FloatVector.fromArray(F, x, from + 24);
            float max = v0.abs().max(v1.abs()).max(v2.abs().max(v3.abs())).reduceLanes(VectorOperators.MAX);
            float d = max / 127f;
            float inverse = max != 0 ? 127f / max : 0f;
            IntVector sum = round(v0, inverse, b * BLOCK)
                    .add(round(v1, inverse, b * BLOCK + 8))
                    .add(round(v2, inverse, b * BLOCK + 16))
                    .add(round(v3, inverse, b * BLOCK + 24));
            scales[b] = Float.float16ToFloat(Float.floatToFloat16(d));
            sums[b] = Float.float16ToFloat(Float.floatToFloat16(d * sum.reduceLanes(VectorOperators.ADD)));
        }
    }

    /**
     * Stores rint(v * inverse) at codes[at ..] and returns it: adding and subtracting 1.5 * 2^23 rounds
     * to the nearest integer, ties to even, as llama.cpp's _mm256_round_ps does (|v * inverse| <= 127).
     */
    private IntVector round(FloatVector v, float inverse, int at) {
        IntVector q = (IntVector) v.mul(inverse).add(ROUNDER).sub(ROUNDER).convertShape(VectorOperators.F2I, I, 0);
        ((ShortVector) q.convertShape(VectorOperators.I2S, S128, 0)).intoArray(codes, at);
        return q;
    }

    /** Fills {@link #grouped} from the codes (decode's ggml-order kernels read it). */
    void group() {
        if (grouped.length < length) {
            grouped = new short[codes.length];
        }
        int[] order = GgmlBlockOrder.GROUPED;
        for (int b = 0; b < length; b += BLOCK) {
            for (int j = 0; j < BLOCK; j++) {
                grouped[b + j] = codes[b + order[j]];
            }
        }
    }

    private void resize(int length) {
        codes = new short[length];
        scales = new float[length / BLOCK];
        sums = new float[length / BLOCK];
        this.length = length;
    }
}
