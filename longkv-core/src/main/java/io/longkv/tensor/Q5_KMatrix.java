package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
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
        for (int j = 0; j < 8; j++) {
            float scale = d * Quants.kScale(s, offset + 4, j);
            float min = dmin * Quants.kMin(s, offset + 4, j);
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
        FloatVector acc = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 256, off += 176) {
            float d = Quants.f16(s, off);
            float dmin = Quants.f16(s, off + 2);
            for (int j = 0; j < 8; j++) {
                FloatVector scale = FloatVector.broadcast(F, d * Quants.kScale(s, off + 4, j));
                FloatVector min = FloatVector.broadcast(F, -dmin * Quants.kMin(s, off + 4, j));
                long qs = off + 48 + 32 * (j / 2);
                int shift = 4 * (j % 2);
                int xj = i + 32 * j;
                FloatVector sum = FloatVector.zero(F);
                for (int l = 0; l < 32; l += 8) {
                    IntVector nibbles = Quants.ints(s, qs + l).lanewise(VectorOperators.ASHR, shift).and(0x0F);
                    IntVector fifth = Quants.ints(s, off + 16 + l).lanewise(VectorOperators.ASHR, j).and(1).lanewise(VectorOperators.LSHL, 4);
                    FloatVector w = Quants.floats(nibbles.or(fifth)).fma(scale, min);
                    sum = w.fma(FloatVector.fromArray(F, x, xj + l), sum);
                }
                acc = acc.add(sum);
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
