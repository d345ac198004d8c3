package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.FLOAT;
import static io.longkv.tensor.Quants.LE;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** 32-bit floats. */
final class F32Matrix extends WeightMatrix {
    F32Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.F32, data, rows, cols);
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        checkRange(out, outOffset);
        MemorySegment.copy(data, FLOAT, rowOffset(row), out, outOffset, cols);
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i <= cols - 16; i += 16) {
            acc0 = FloatVector.fromMemorySegment(F, s, off + 4L * i, LE).fma(FloatVector.fromArray(F, x, xOffset + i), acc0);
            acc1 = FloatVector.fromMemorySegment(F, s, off + 4L * i + 32, LE).fma(FloatVector.fromArray(F, x, xOffset + i + 8), acc1);
        }
        float sum = VectorMath.hsum(acc0.add(acc1));
        for (; i < cols; i++) {
            sum += s.get(FLOAT, off + 4L * i) * x[xOffset + i];
        }
        return sum;
    }
}
