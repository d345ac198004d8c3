package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.LE;
import static io.longkv.tensor.Quants.S128;
import static io.longkv.tensor.Quants.SHORT;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** bfloat16: the upper half of a float's bits. */
final class BF16Matrix extends WeightMatrix {
    BF16Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.BF16, data, rows, cols);
    }

    private static float bf16(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    private static FloatVector bf16(MemorySegment s, long offset) {
        IntVector i = (IntVector) ShortVector.fromMemorySegment(S128, s, offset, LE).convertShape(VectorOperators.S2I, I, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        checkRange(out, outOffset);
        long off = rowOffset(row);
        for (int i = 0; i < cols; i++) {
            out[outOffset + i] = bf16(data.get(SHORT, off + 2L * i));
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
            acc0 = bf16(s, off + 2L * i).fma(FloatVector.fromArray(F, x, xOffset + i), acc0);
            acc1 = bf16(s, off + 2L * i + 16).fma(FloatVector.fromArray(F, x, xOffset + i + 8), acc1);
        }
        float sum = VectorMath.hsum(acc0.add(acc1));
        for (; i < cols; i++) {
            sum += bf16(s.get(SHORT, off + 2L * i)) * x[xOffset + i];
        }
        return sum;
    }
}
