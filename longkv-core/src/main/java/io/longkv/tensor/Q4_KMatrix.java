package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K super-block (144 bytes, 256 values): f16 d, f16 dmin, 12 bytes of packed 6-bit scales and
 * mins for 8 sub-blocks of 32, 128 bytes of nibbles. Each 32 bytes hold two sub-blocks: low nibbles
 * the first, high nibbles the second. value = (d * scale) * q - dmin * min.
 */
final class Q4_KMatrix extends BlockMatrix {
    Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_K, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        float dmin = Quants.f16(s, offset + 2);
        for (int j = 0; j < 8; j++) {
            float scale = d * Quants.kScale(s, offset + 4, j);
            float min = dmin * Quants.kMin(s, offset + 4, j);
            long qs = offset + 16 + 32 * (j / 2);
            int shift = 4 * (j % 2);
            for (int l = 0; l < 32; l++) {
                out[o + 32 * j + l] = scale * ((Quants.u8(s, qs + l) >> shift) & 0x0F) - min;
            }
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 256, off += 144) {
            float d = Quants.f16(s, off);
            float dmin = Quants.f16(s, off + 2);
            for (int j = 0; j < 8; j += 2) {
                FloatVector scaleLo = FloatVector.broadcast(F, d * Quants.kScale(s, off + 4, j));
                FloatVector minLo = FloatVector.broadcast(F, -dmin * Quants.kMin(s, off + 4, j));
                FloatVector scaleHi = FloatVector.broadcast(F, d * Quants.kScale(s, off + 4, j + 1));
                FloatVector minHi = FloatVector.broadcast(F, -dmin * Quants.kMin(s, off + 4, j + 1));
                int x0 = i + 32 * j;
                for (int half = 0; half < 2; half++) {
                    ByteVector packed = Quants.bytes16(s, off + 16 + 16 * j + 16 * half);
                    ByteVector lo = Quants.lowNibbles(packed);
                    ByteVector hi = Quants.highNibbles(packed);
                    int xl = x0 + 16 * half;
                    FloatVector sum = Quants.floats(lo, 0).fma(scaleLo, minLo).mul(FloatVector.fromArray(F, x, xl));
                    sum = Quants.floats(lo, 1).fma(scaleLo, minLo).fma(FloatVector.fromArray(F, x, xl + 8), sum);
                    sum = Quants.floats(hi, 0).fma(scaleHi, minHi).fma(FloatVector.fromArray(F, x, xl + 32), sum);
                    sum = Quants.floats(hi, 1).fma(scaleHi, minHi).fma(FloatVector.fromArray(F, x, xl + 40), sum);
                    acc = acc.add(sum);
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
