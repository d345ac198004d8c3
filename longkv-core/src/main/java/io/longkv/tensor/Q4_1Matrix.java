package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_1 block (20 bytes, 32 values): f16 scale d, f16 min m, 16 bytes of nibbles (low nibbles are
 * values 0..15, high nibbles 16..31); value = d * q + m.
 */
final class Q4_1Matrix extends BlockMatrix {
    Q4_1Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_1, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        float m = Quants.f16(s, offset + 2);
        for (int j = 0; j < 16; j++) {
            int q = Quants.u8(s, offset + 4 + j);
            out[o + j] = d * (q & 0x0F) + m;
            out[o + j + 16] = d * (q >> 4) + m;
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 32, off += 20) {
            FloatVector d = FloatVector.broadcast(F, Quants.f16(s, off));
            FloatVector m = FloatVector.broadcast(F, Quants.f16(s, off + 2));
            ByteVector packed = Quants.bytes16(s, off + 4);
            ByteVector lo = Quants.lowNibbles(packed);
            ByteVector hi = Quants.highNibbles(packed);
            FloatVector sum = Quants.floats(lo, 0).fma(d, m).mul(FloatVector.fromArray(F, x, i));
            sum = Quants.floats(lo, 1).fma(d, m).fma(FloatVector.fromArray(F, x, i + 8), sum);
            sum = Quants.floats(hi, 0).fma(d, m).fma(FloatVector.fromArray(F, x, i + 16), sum);
            sum = Quants.floats(hi, 1).fma(d, m).fma(FloatVector.fromArray(F, x, i + 24), sum);
            acc = acc.add(sum);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
