package io.longkv.tensor;

import static io.longkv.tensor.Quants.B128;
import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.FLOAT;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.INT;
import static io.longkv.tensor.Quants.LE;
import static io.longkv.tensor.Quants.S256;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2S;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_1 block (20 bytes, 32 values): f16 scale d, f16 min m, 16 bytes of nibbles (low nibbles are
 * values 0..15, high nibbles 16..31); value = d * q + m.
 */
final class Q4_1Matrix extends BlockMatrix implements Int8Rows {
    private final GgmlBlockOrder.Repacked repacked = new GgmlBlockOrder.Repacked(data, rows, cols / 32, 20, 24, Q4_1Matrix::groupBlock);

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
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 32, off += 20) {
            int dm = s.get(INT, off); // d and m in one read: fewer bounds checks
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat((short) dm));
            FloatVector m = FloatVector.broadcast(F, Float.float16ToFloat((short) (dm >>> 16)));
            // Bytes 0-7 and 8-15 of the nibbles, widened to ints: low nibbles are values 0-15, high 16-31.
            IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B64, s, off + 4, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
            IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B64, s, off + 12, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
            FloatVector w0 = ((FloatVector) p0.and(0x0F).convertShape(I2F, F, 0)).fma(d, m);
            FloatVector w1 = ((FloatVector) p1.and(0x0F).convertShape(I2F, F, 0)).fma(d, m);
            FloatVector w2 = ((FloatVector) p0.lanewise(LSHR, 4).convertShape(I2F, F, 0)).fma(d, m);
            FloatVector w3 = ((FloatVector) p1.lanewise(LSHR, 4).convertShape(I2F, F, 0)).fma(d, m);
            acc0 = w0.fma(FloatVector.fromArray(F, x, i), acc0);
            acc1 = w1.fma(FloatVector.fromArray(F, x, i + 8), acc1);
            acc0 = w2.fma(FloatVector.fromArray(F, x, i + 16), acc0);
            acc1 = w3.fma(FloatVector.fromArray(F, x, i + 24), acc1);
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
        float minSum = 0;
        for (int i = token * cols, b = i / 32, end = i + cols; i < end; i += 32, off += stride, b++) {
            // Repacked nibbles widened to shorts: with the grouped codes, int lane l of p sums ggml's lane l.
            ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 8, LE).convertShape(ZERO_EXTEND_B2S, S256, 0);
            ShortVector p = q.and((short) 0x0F).mul(ShortVector.fromArray(S256, codes, i))
                    .add(q.lanewise(LSHR, 4).mul(ShortVector.fromArray(S256, codes, i + 16)));
            // Each int lane holds two short sums whose total fits a short (4-bit weights): adding the lane
            // shifted left by 16 leaves the total in the high half, one operation fewer than splitting the halves.
            IntVector pairs = p.reinterpretAsInts();
            IntVector sum = pairs.add(pairs.lanewise(LSHL, 16)).lanewise(ASHR, 16);
            acc = ((FloatVector) sum.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, s.get(FLOAT, off) * x.scales[b]), acc);
            // ggml's "summs += m * s" is compiled with FMA contraction.
            minSum = Math.fma(s.get(FLOAT, off + 4), x.sums[b], minSum);
        }
        return VectorMath.hsum(acc) + minSum;
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
        float minSum = 0;
        float minSum1 = 0;
        // The same steps as dot's, twice: each code vector loaded feeds both rows.
        for (int i = 0, b = 0; i < cols; i += 32, off += 48, b++) {
            ShortVector c0 = ShortVector.fromArray(S256, codes, i);
            ShortVector c1 = ShortVector.fromArray(S256, codes, i + 16);
            float xScale = x.scales[b];
            float xSum = x.sums[b];
            ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 8, LE).convertShape(ZERO_EXTEND_B2S, S256, 0);
            IntVector pairs = q.and((short) 0x0F).mul(c0).add(q.lanewise(LSHR, 4).mul(c1)).reinterpretAsInts();
            IntVector sum = pairs.add(pairs.lanewise(LSHL, 16)).lanewise(ASHR, 16);
            acc = ((FloatVector) sum.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, s.get(FLOAT, off) * xScale), acc);
            minSum = Math.fma(s.get(FLOAT, off + 4), xSum, minSum);
            ShortVector q1 = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 32, LE).convertShape(ZERO_EXTEND_B2S, S256, 0);
            IntVector pairs1 = q1.and((short) 0x0F).mul(c0).add(q1.lanewise(LSHR, 4).mul(c1)).reinterpretAsInts();
            IntVector sum1 = pairs1.add(pairs1.lanewise(LSHL, 16)).lanewise(ASHR, 16);
            acc1 = ((FloatVector) sum1.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, s.get(FLOAT, off + 24) * xScale), acc1);
            minSum1 = Math.fma(s.get(FLOAT, off + 28), xSum, minSum1);
        }
        out[outOffset] = VectorMath.hsum(acc) + minSum;
        out[outOffset + 1] = VectorMath.hsum(acc1) + minSum1;
    }

    /**
     * One 20-byte block as decode reads it, 24 bytes: d and m widened to f32 (little-endian; the kernel then
     * skips two half conversions per block), then the nibbles in {@link GgmlBlockOrder#GROUPED} order.
     */
    private static void groupBlock(byte[] in, byte[] out) {
        ByteBuffer params = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        params.putFloat(0, Float.float16ToFloat((short) ((in[0] & 0xFF) | in[1] << 8)));
        params.putFloat(4, Float.float16ToFloat((short) ((in[2] & 0xFF) | in[3] << 8)));
        int[] order = GgmlBlockOrder.GROUPED;
        for (int j = 0; j < 16; j++) {
            out[8 + j] = (byte) (nibble(in, order[j]) | nibble(in, order[16 + j]) << 4);
        }
    }

    /** Value e (0..31) of a block in GGML's layout: low nibbles hold 0-15, high nibbles 16-31. */
    private static int nibble(byte[] block, int e) {
        int q = block[4 + (e & 15)] & 0xFF;
        return e < 16 ? q & 0x0F : q >> 4;
    }

    @Override
    public void unpackLanes(int row, short[] values, float[] scales, float[] mins) {
        MemorySegment s = data;
        long off = rowOffset(row);
        int[] order = GgmlBlockOrder.GROUPED;
        for (int b = 0, o = 0; o < cols; b++, o += 32, off += 20) {
            int dm = s.get(INT, off);
            scales[b] = Float.float16ToFloat((short) dm);
            mins[b] = Float.float16ToFloat((short) (dm >>> 16));
            for (int j = 0; j < 32; j++) {
                int e = order[j];
                int q = Quants.u8(s, off + 4 + e % 16);
                values[o + j] = (short) (e < 16 ? q & 0x0F : q >> 4);
            }
        }
    }

    @Override
    public boolean hasMin() {
        return true;
    }
}
