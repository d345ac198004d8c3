package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K super-block (210 bytes, 256 values): 128 bytes of low nibbles, 64 bytes of 2-bit high parts,
 * 16 signed 8-bit scales (one per 16 values), f16 d. In each half of 128 values, value
 * 32k + l (k = 0..3, l = 0..31) takes the low (k < 2) or high nibble of ql[64 * half + 32 * (k % 2) + l]
 * and bits 2k..2k+1 of qh[32 * half + l]; value = (d * scale) * (q - 32).
 */
final class Q6_KMatrix extends BlockMatrix {
    Q6_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q6_K, data, rows, cols);
    }

    private static float scale(MemorySegment s, long offset, float d, int group) {
        return d * s.get(ValueLayout.JAVA_BYTE, offset + 192 + group);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset + 208);
        for (int half = 0; half < 2; half++) {
            for (int k = 0; k < 4; k++) {
                long ql = offset + 64 * half + 32 * (k % 2);
                int shift = 4 * (k / 2);
                for (int l = 0; l < 32; l++) {
                    int e = 128 * half + 32 * k + l;
                    int q = ((Quants.u8(s, ql + l) >> shift) & 0x0F) | ((Quants.u8(s, offset + 128 + 32 * half + l) >> (2 * k)) & 3) << 4;
                    out[o + e] = scale(s, offset, d, e / 16) * (q - 32);
                }
            }
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 256, off += 210) {
            float d = Quants.f16(s, off + 208);
            for (int half = 0; half < 2; half++) {
                for (int l = 0; l < 32; l += 8) {
                    IntVector a = Quants.ints(s, off + 64 * half + l);
                    IntVector b = Quants.ints(s, off + 64 * half + 32 + l);
                    IntVector h = Quants.ints(s, off + 128 + 32 * half + l);
                    int e = 128 * half + l;
                    acc = term(a.and(0x0F), h.lanewise(VectorOperators.LSHL, 4), s, off, d, e, x, i, acc);
                    acc = term(b.and(0x0F), h.lanewise(VectorOperators.LSHL, 2), s, off, d, e + 32, x, i, acc);
                    acc = term(a.lanewise(VectorOperators.ASHR, 4).and(0x0F), h, s, off, d, e + 64, x, i, acc);
                    acc = term(b.lanewise(VectorOperators.ASHR, 4).and(0x0F), h.lanewise(VectorOperators.ASHR, 2), s, off, d, e + 96, x, i, acc);
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Adds values e .. e+7 times x; {@code high} holds their 2-bit high parts at bits 4..5. */
    private static FloatVector term(IntVector low, IntVector high, MemorySegment s, long off, float d, int e,
                                    float[] x, int i, FloatVector acc) {
        FloatVector q = Quants.floats(low.or(high.and(0x30)).sub(32));
        return q.mul(scale(s, off, d, e / 16)).fma(FloatVector.fromArray(F, x, i + e), acc);
    }
}
