package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.LE;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q8_0 block (34 bytes, 32 values): f16 scale d, 32 signed bytes q; value = d * q. */
final class Q8_0Matrix extends BlockMatrix {
    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q8_0, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        for (int j = 0; j < 32; j++) {
            out[o + j] = s.get(ValueLayout.JAVA_BYTE, offset + 2 + j) * d;
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 32, off += 34) {
            ByteVector q0 = Quants.bytes16(s, off + 2);
            ByteVector q1 = Quants.bytes16(s, off + 18);
            // Sum q * x over the block first, then scale once by d.
            FloatVector sum = Quants.floats(q0, 0).mul(FloatVector.fromArray(F, x, i));
            sum = Quants.floats(q0, 1).fma(FloatVector.fromArray(F, x, i + 8), sum);
            sum = Quants.floats(q1, 0).fma(FloatVector.fromArray(F, x, i + 16), sum);
            sum = Quants.floats(q1, 1).fma(FloatVector.fromArray(F, x, i + 24), sum);
            acc = sum.fma(FloatVector.broadcast(F, Quants.f16(s, off)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
