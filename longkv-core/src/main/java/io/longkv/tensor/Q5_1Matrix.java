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
 * Q5_1 block (24 bytes, 32 values): f16 scale d, f16 min m, 32-bit word of fifth bits (bit j for
 * value j), 16 bytes of nibbles (low nibbles are values 0..15, high 16..31); value = d * q + m.
 */
final class Q5_1Matrix extends BlockMatrix {
    Q5_1Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_1, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        float m = Quants.f16(s, offset + 2);
        int qh = s.get(INT, offset + 4);
        for (int j = 0; j < 16; j++) {
            int q = Quants.u8(s, offset + 8 + j);
            out[o + j] = d * ((q & 0x0F) | ((qh >>> j) & 1) << 4) + m;
            out[o + j + 16] = d * ((q >> 4) | ((qh >>> (j + 16)) & 1) << 4) + m;
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 32, off += 24) {
            FloatVector d = FloatVector.broadcast(F, Quants.f16(s, off));
            FloatVector m = FloatVector.broadcast(F, Quants.f16(s, off + 2));
            int qh = s.get(INT, off + 4);
            IntVector p0 = Quants.ints(s, off + 8);
            IntVector p1 = Quants.ints(s, off + 16);
            FloatVector sum = q(p0.and(0x0F), qh, 0).fma(d, m).mul(FloatVector.fromArray(F, x, i));
            sum = q(p1.and(0x0F), qh, 1).fma(d, m).fma(FloatVector.fromArray(F, x, i + 8), sum);
            sum = q(p0.lanewise(VectorOperators.ASHR, 4).and(0x0F), qh, 2).fma(d, m).fma(FloatVector.fromArray(F, x, i + 16), sum);
            sum = q(p1.lanewise(VectorOperators.ASHR, 4).and(0x0F), qh, 3).fma(d, m).fma(FloatVector.fromArray(F, x, i + 24), sum);
            acc = acc.add(sum);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Values 8g .. 8g+7 of the block from their nibbles and fifth bits. */
    private static FloatVector q(IntVector nibbles, int qh, int g) {
        return Quants.floats(nibbles.or(Quants.fifthBits(qh, BIT_SHIFTS[g])));
    }
}
