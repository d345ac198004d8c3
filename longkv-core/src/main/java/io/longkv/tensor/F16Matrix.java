package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.SHORT;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** IEEE half floats (finite: see {@link Quants#finiteHalves}). */
final class F16Matrix extends WeightMatrix {
    F16Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.F16, data, rows, cols);
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        checkRange(out, outOffset);
        long off = rowOffset(row);
        for (int i = 0; i < cols; i++) {
            out[outOffset + i] = Float.float16ToFloat(data.get(SHORT, off + 2L * i));
        }
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
            acc0 = Quants.finiteHalves(s, off + 2L * i).fma(FloatVector.fromArray(F, x, xOffset + i), acc0);
            acc1 = Quants.finiteHalves(s, off + 2L * i + 16).fma(FloatVector.fromArray(F, x, xOffset + i + 8), acc1);
        }
        float sum = VectorMath.hsum(acc0.add(acc1));
        for (; i < cols; i++) {
            sum += Float.float16ToFloat(s.get(SHORT, off + 2L * i)) * x[xOffset + i];
        }
        return sum;
    }
}
