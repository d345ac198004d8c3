package io.longkv.tensor;

import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.INT;
import static io.longkv.tensor.Quants.LE;
import static io.longkv.tensor.Quants.SHORT;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_K super-block (176 bytes, 256 values): f16 d, f16 dmin, 12 bytes of packed 6-bit scales and
 * mins (as Q4_K), 32 bytes of fifth bits (bit j of byte l belongs to value l of sub-block j), 128
 * bytes of nibbles laid out as Q4_K. value = (d * scale) * q - dmin * min.
 */
final class Q5_KMatrix extends BlockMatrix {
    Q5_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_K, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        float dmin = Quants.f16(s, offset + 2);
        int w0 = s.get(INT, offset + 4);
        int w1 = s.get(INT, offset + 8);
        int w2 = s.get(INT, offset + 12);
        for (int j = 0; j < 8; j++) {
            float scale = d * Quants.kScale(w0, w2, j);
            float min = dmin * Quants.kMin(w1, w2, j);
            long qs = offset + 48 + 32 * (j / 2);
            int shift = 4 * (j % 2);
            for (int l = 0; l < 32; l++) {
                int q = ((Quants.u8(s, qs + l) >> shift) & 0x0F) | ((Quants.u8(s, offset + 16 + l) >> j) & 1) << 4;
                out[o + 32 * j + l] = scale * q - min;
            }
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        float sum = 0;
        for (int i = xOffset, end = xOffset + cols; i < end; i += 256, off += 176) {
            float d = Float.float16ToFloat(s.get(SHORT, off));
            float dmin = -Float.float16ToFloat(s.get(SHORT, off + 2));
            int w0 = s.get(INT, off + 4);
            int w1 = s.get(INT, off + 8);
            int w2 = s.get(INT, off + 12);
            for (int j = 0; j < 8; j += 2) {
                float scaleLo = d * Quants.kScale(w0, w2, j);
                float minLo = dmin * Quants.kMin(w1, w2, j);
                float scaleHi = d * Quants.kScale(w0, w2, j + 1);
                float minHi = dmin * Quants.kMin(w1, w2, j + 1);
                for (int l = 0; l < 32; l += 16) {
                    sum += pair(s, off, j, l, x, i + 32 * j, scaleLo, minLo, scaleHi, minHi);
                }
            }
        }
        return sum;
    }

    /**
     * Values l .. l + 15 of sub-blocks j (low nibbles, bit j of the qh bytes) and j + 1 (high nibbles,
     * bit j + 1) of the super-block at off, times x (sub-block j starts at x[i]). Straight-line and
     * returning a float: whether or not C2 inlines it, no vector is boxed.
     */
    private static float pair(MemorySegment s, long off, int j, int l, float[] x, int i,
                              float scaleLo, float minLo, float scaleHi, float minHi) {
        FloatVector sLo = FloatVector.broadcast(F, scaleLo);
        FloatVector mLo = FloatVector.broadcast(F, minLo);
        FloatVector sHi = FloatVector.broadcast(F, scaleHi);
        FloatVector mHi = FloatVector.broadcast(F, minHi);
        long qs = off + 48 + 16 * j + l;
        IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B64, s, qs, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B64, s, qs + 8, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector h0 = (IntVector) ByteVector.fromMemorySegment(B64, s, off + 16 + l, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector h1 = (IntVector) ByteVector.fromMemorySegment(B64, s, off + 24 + l, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector lo0 = p0.and(0x0F).or(h0.lanewise(LSHR, j).and(1).lanewise(LSHL, 4));
        IntVector lo1 = p1.and(0x0F).or(h1.lanewise(LSHR, j).and(1).lanewise(LSHL, 4));
        IntVector hi0 = p0.lanewise(LSHR, 4).or(h0.lanewise(LSHR, j + 1).and(1).lanewise(LSHL, 4));
        IntVector hi1 = p1.lanewise(LSHR, 4).or(h1.lanewise(LSHR, j + 1).and(1).lanewise(LSHL, 4));
        FloatVector a = ((FloatVector) lo0.convertShape(I2F, F, 0)).fma(sLo, mLo).mul(FloatVector.fromArray(F, x, i + l));
        FloatVector b = ((FloatVector) lo1.convertShape(I2F, F, 0)).fma(sLo, mLo).mul(FloatVector.fromArray(F, x, i + l + 8));
        a = ((FloatVector) hi0.convertShape(I2F, F, 0)).fma(sHi, mHi).fma(FloatVector.fromArray(F, x, i + 32 + l), a);
        b = ((FloatVector) hi1.convertShape(I2F, F, 0)).fma(sHi, mHi).fma(FloatVector.fromArray(F, x, i + 40 + l), b);
        return VectorMath.hsum(a.add(b));
    }
}
