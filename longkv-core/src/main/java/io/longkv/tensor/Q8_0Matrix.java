package io.longkv.tensor;

import static io.longkv.tensor.Quants.B128;
import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.FLOAT;
import static io.longkv.tensor.Quants.LE;
import static io.longkv.tensor.Quants.S256;
import static io.longkv.tensor.Quants.SHORT;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** Q8_0 block (34 bytes, 32 values): f16 scale d, 32 signed bytes q; value = d * q. */
final class Q8_0Matrix extends BlockMatrix implements Int8Rows {
    private final GgmlBlockOrder.Repacked repacked = new GgmlBlockOrder.Repacked(data, rows, cols / 32, 34, 36, Q8_0Matrix::groupBlock);

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
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = xOffset;
        int end = xOffset + cols;
        // Two blocks per iteration on two accumulators; each block sums q * x, then scales once by d.
        for (; i + 64 <= end; i += 64, off += 68) {
            FloatVector a = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 2, LE).convertShape(B2F, F, 0)).mul(FloatVector.fromArray(F, x, i));
            a = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 10, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 8), a);
            a = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 18, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 16), a);
            a = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 26, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 24), a);
            acc0 = a.fma(FloatVector.broadcast(F, Float.float16ToFloat(s.get(SHORT, off))), acc0);
            FloatVector b = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 36, LE).convertShape(B2F, F, 0)).mul(FloatVector.fromArray(F, x, i + 32));
            b = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 44, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 40), b);
            b = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 52, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 48), b);
            b = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 60, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 56), b);
            acc1 = b.fma(FloatVector.broadcast(F, Float.float16ToFloat(s.get(SHORT, off + 34))), acc1);
        }
        if (i < end) {
            FloatVector a = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 2, LE).convertShape(B2F, F, 0)).mul(FloatVector.fromArray(F, x, i));
            a = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 10, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 8), a);
            a = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 18, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 16), a);
            a = ((FloatVector) ByteVector.fromMemorySegment(B64, s, off + 26, LE).convertShape(B2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 24), a);
            acc0 = a.fma(FloatVector.broadcast(F, Float.float16ToFloat(s.get(SHORT, off))), acc0);
        }
        return VectorMath.hsum(acc0.add(acc1));
    }

    @Override
    public float dot(int row, Q8Activations x) {
        return dot(row, x, 0); // here, not as a default method: a call site shared by two types inlines poorly
    }

    @Override
    public float dot(int row, Q8Activations x, int token) {
        checkRange(x, token);
        MemorySegment s = repacked.segment();
        long off = repacked.rowStart(row);
        long stride = repacked.blockStride(row);
        short[] codes = x.grouped;
        FloatVector acc = FloatVector.zero(F);
        for (int i = token * cols, b = i / 32, end = i + cols; i < end; i += 32, off += stride, b++) {
            // Repacked values and grouped codes: int lane l of p sums ggml's lane l; |q * code| <= 127 * 127,
            // so a pair fits a short.
            ShortVector p = ((ShortVector) ByteVector.fromMemorySegment(B128, s, off + 4, LE).convertShape(B2S, S256, 0))
                    .mul(ShortVector.fromArray(S256, codes, i))
                    .add(((ShortVector) ByteVector.fromMemorySegment(B128, s, off + 20, LE).convertShape(B2S, S256, 0))
                            .mul(ShortVector.fromArray(S256, codes, i + 16)));
            IntVector pairs = p.reinterpretAsInts();
            IntVector sum = pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16));
            acc = ((FloatVector) sum.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, s.get(FLOAT, off) * x.scales[b]), acc);
        }
        return VectorMath.hsum(acc);
    }

    /** {@link #dot} of rows {@code row} and {@code row + 1} at once: their blocks alternate in the repacked copy. */
    @Override
    public void dotPair(int row, Q8Activations x, float[] out, int outOffset) {
        checkRange(x, 0);
        MemorySegment s = repacked.segment();
        long off = repacked.pairStart(row);
        short[] codes = x.grouped;
        FloatVector acc = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        // The same steps as dot's, twice: each code vector loaded feeds both rows.
        for (int i = 0, b = 0; i < cols; i += 32, off += 72, b++) {
            ShortVector c0 = ShortVector.fromArray(S256, codes, i);
            ShortVector c1 = ShortVector.fromArray(S256, codes, i + 16);
            float xScale = x.scales[b];
            IntVector pairs = ((ShortVector) ByteVector.fromMemorySegment(B128, s, off + 4, LE).convertShape(B2S, S256, 0)).mul(c0)
                    .add(((ShortVector) ByteVector.fromMemorySegment(B128, s, off + 20, LE).convertShape(B2S, S256, 0)).mul(c1))
                    .reinterpretAsInts();
            IntVector sum = pairs.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs.lanewise(ASHR, 16));
            acc = ((FloatVector) sum.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, s.get(FLOAT, off) * xScale), acc);
            IntVector pairs1 = ((ShortVector) ByteVector.fromMemorySegment(B128, s, off + 40, LE).convertShape(B2S, S256, 0)).mul(c0)
                    .add(((ShortVector) ByteVector.fromMemorySegment(B128, s, off + 56, LE).convertShape(B2S, S256, 0)).mul(c1))
                    .reinterpretAsInts();
            IntVector sum1 = pairs1.lanewise(LSHL, 16).lanewise(ASHR, 16).add(pairs1.lanewise(ASHR, 16));
            acc1 = ((FloatVector) sum1.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, s.get(FLOAT, off + 36) * xScale), acc1);
        }
        out[outOffset] = VectorMath.hsum(acc);
        out[outOffset + 1] = VectorMath.hsum(acc1);
    }

    /** One 34-byte block as decode reads it, 36 bytes: d widened to f32 (little-endian), then the values in {@link GgmlBlockOrder#GROUPED} order. */
    private static void groupBlock(byte[] in, byte[] out) {
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, Float.float16ToFloat((short) ((in[0] & 0xFF) | in[1] << 8)));
        int[] order = GgmlBlockOrder.GROUPED;
        for (int j = 0; j < 32; j++) {
            out[4 + j] = in[2 + order[j]];
        }
    }

    @Override
    public void unpackLanes(int row, short[] values, float[] scales, float[] mins) {
        MemorySegment s = data;
        long off = rowOffset(row);
        int[] order = GgmlBlockOrder.GROUPED;
        for (int b = 0, o = 0; o < cols; b++, o += 32, off += 34) {
            scales[b] = Float.float16ToFloat(s.get(SHORT, off));
            mins[b] = 0;
            for (int j = 0; j < 32; j++) {
                values[o + j] = s.get(ValueLayout.JAVA_BYTE, off + 2 + order[j]);
            }
        }
    }

    @Override
    public boolean hasMin() {
        return false;
    }
}
