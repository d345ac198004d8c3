package io.longkv.tensor;

import static io.longkv.tensor.Quants.BIT_SHIFTS;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.INT;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_0 block (22 bytes, 32 values): f16 scale d, 32-bit word of fifth bits (bit j for value j),
 * 16 bytes of nibbles (low nibbles are values 0..15, high 16..31); value = d * (q - 16).
 */
final class Q5_0Matrix extends BlockMatrix {
    Q5_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_0, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        int qh = s.get(INT, offset + 2);
        for (int j = 0; j < 16; j++) {
            int q = Quants.u8(s, offset + 6 + j);
            out[o + j] = d * (((q & 0x0F) | ((qh >>> j) & 1) << 4) - 16);
            out[o + j + 16] = d * (((q >> 4) | ((qh >>> (j + 16)) & 1) << 4) - 16);
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 32, off += 22) {
            int qh = s.get(INT, off + 2);
            IntVector p0 = Quants.ints(s, off + 6);
            IntVector p1 = Quants.ints(s, off + 14);
            FloatVector sum = q(p0.and(0x0F), qh, 0).mul(FloatVector.fromArray(F, x, i));
            sum = q(p1.and(0x0F), qh, 1).fma(FloatVector.fromArray(F, x, i + 8), sum);
            sum = q(p0.lanewise(VectorOperators.ASHR, 4).and(0x0F), qh, 2).fma(FloatVector.fromArray(F, x, i + 16), sum);
            sum = q(p1.lanewise(VectorOperators.ASHR, 4).and(0x0F), qh, 3).fma(FloatVector.fromArray(F, x, i + 24), sum);
            acc = sum.fma(FloatVector.broadcast(F, Quants.f16(s, off)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Values 8g .. 8g+7 of the block, less 16, from their nibbles and fifth bits. */
    private static FloatVector q(IntVector nibbles, int qh, int g) {
        return Quants.floats(nibbles.or(Quants.fifthBits(qh, BIT_SHIFTS[g])).sub(16));
    }
}
