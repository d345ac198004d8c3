package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0 block (18 bytes, 32 values): f16 scale d, 16 bytes of nibbles (low nibbles are values 0..15,
 * high nibbles 16..31); value = d * (q - 8).
 */
final class Q4_0Matrix extends BlockMatrix {
    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_0, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        for (int j = 0; j < 16; j++) {
            int q = Quants.u8(s, offset + 2 + j);
            out[o + j] = d * ((q & 0x0F) - 8);
            out[o + j + 16] = d * ((q >> 4) - 8);
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 32, off += 18) {
            ByteVector packed = Quants.bytes16(s, off + 2);
            ByteVector lo = Quants.lowNibbles(packed).sub((byte) 8);
            ByteVector hi = Quants.highNibbles(packed).sub((byte) 8);
            FloatVector sum = Quants.floats(lo, 0).mul(FloatVector.fromArray(F, x, i));
            sum = Quants.floats(lo, 1).fma(FloatVector.fromArray(F, x, i + 8), sum);
            sum = Quants.floats(hi, 0).fma(FloatVector.fromArray(F, x, i + 16), sum);
            sum = Quants.floats(hi, 1).fma(FloatVector.fromArray(F, x, i + 24), sum);
            acc = sum.fma(FloatVector.broadcast(F, Quants.f16(s, off)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
