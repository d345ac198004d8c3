package io.longkv.tensor;

import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.LE;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
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
        float sum = 0;
        for (int i = xOffset, end = xOffset + cols; i < end; i += 256, off += 210) {
            float d = Quants.f16(s, off + 208);
            for (int e = 0; e < 256; e += 128) {
                for (int l = 0; l < 32; l += 16) {
                    sum += group(s, off, d, e, l, x, i);
                }
            }
        }
        return sum;
    }

    /**
     * Values e + l + {0, 32, 64, 96} + (0..15) times x: ql bytes a (values e + l, + 64) and b (e + 32 + l,
     * + 96) share the qh byte h (bits 0-1, 2-3, 4-5, 6-7); each 16 values have one scale.
     * Straight-line and returning a float, so it costs little even where C2 declines to inline it.
     */
    private static float group(MemorySegment s, long off, float d, int e, int l, float[] x, int i) {
        FloatVector sc0 = FloatVector.broadcast(F, scale(s, off, d, (e + l) / 16));
        FloatVector sc1 = FloatVector.broadcast(F, scale(s, off, d, (e + 32 + l) / 16));
        FloatVector sc2 = FloatVector.broadcast(F, scale(s, off, d, (e + 64 + l) / 16));
        FloatVector sc3 = FloatVector.broadcast(F, scale(s, off, d, (e + 96 + l) / 16));
        long ql = off + e / 2 + l;
        long qh = off + 128 + e / 4 + l;
        int v = i + e + l;
        IntVector a0 = (IntVector) ByteVector.fromMemorySegment(B64, s, ql, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector a1 = (IntVector) ByteVector.fromMemorySegment(B64, s, ql + 8, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector b0 = (IntVector) ByteVector.fromMemorySegment(B64, s, ql + 32, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector b1 = (IntVector) ByteVector.fromMemorySegment(B64, s, ql + 40, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector h0 = (IntVector) ByteVector.fromMemorySegment(B64, s, qh, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector h1 = (IntVector) ByteVector.fromMemorySegment(B64, s, qh + 8, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        FloatVector acc0 = ((FloatVector) a0.and(0x0F).or(h0.lanewise(LSHL, 4).and(0x30)).sub(32).convertShape(I2F, F, 0))
                .mul(sc0).mul(FloatVector.fromArray(F, x, v));
        FloatVector acc1 = ((FloatVector) a1.and(0x0F).or(h1.lanewise(LSHL, 4).and(0x30)).sub(32).convertShape(I2F, F, 0))
                .mul(sc0).mul(FloatVector.fromArray(F, x, v + 8));
        acc0 = ((FloatVector) b0.and(0x0F).or(h0.lanewise(LSHL, 2).and(0x30)).sub(32).convertShape(I2F, F, 0))
                .mul(sc1).fma(FloatVector.fromArray(F, x, v + 32), acc0);
        acc1 = ((FloatVector) b1.and(0x0F).or(h1.lanewise(LSHL, 2).and(0x30)).sub(32).convertShape(I2F, F, 0))
                .mul(sc1).fma(FloatVector.fromArray(F, x, v + 40), acc1);
        acc0 = ((FloatVector) a0.lanewise(LSHR, 4).or(h0.and(0x30)).sub(32).convertShape(I2F, F, 0))
                .mul(sc2).fma(FloatVector.fromArray(F, x, v + 64), acc0);
        acc1 = ((FloatVector) a1.lanewise(LSHR, 4).or(h1.and(0x30)).sub(32).convertShape(I2F, F, 0))
                .mul(sc2).fma(FloatVector.fromArray(F, x, v + 72), acc1);
        acc0 = ((FloatVector) b0.lanewise(LSHR, 4).or(h0.lanewise(LSHR, 2).and(0x30)).sub(32).convertShape(I2F, F, 0))
                .mul(sc3).fma(FloatVector.fromArray(F, x, v + 96), acc0);
        acc1 = ((FloatVector) b1.lanewise(LSHR, 4).or(h1.lanewise(LSHR, 2).and(0x30)).sub(32).convertShape(I2F, F, 0))
                .mul(sc3).fma(FloatVector.fromArray(F, x, v + 104), acc1);
        return VectorMath.hsum(acc0.add(acc1));
    }
}
