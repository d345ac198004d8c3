package io.longkv.tensor;

import static io.longkv.tensor.Quants.B128;
import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.LE;
import static io.longkv.tensor.Quants.S256;
import static io.longkv.tensor.Quants.SHORT;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2S;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0 block (18 bytes, 32 values): f16 scale d, 16 bytes of nibbles (low nibbles are values 0..15,
 * high nibbles 16..31); value = d * (q - 8).
 */
final class Q4_0Matrix extends BlockMatrix implements Int8Dot {
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
            // Bytes 0-7 and 8-15 of the nibbles, widened to ints: low nibbles are values 0-15, high 16-31.
            IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B64, s, off + 2, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
            IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B64, s, off + 10, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
            FloatVector sum = ((FloatVector) p0.and(0x0F).sub(8).convertShape(I2F, F, 0)).mul(FloatVector.fromArray(F, x, i));
            sum = ((FloatVector) p1.and(0x0F).sub(8).convertShape(I2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 8), sum);
            sum = ((FloatVector) p0.lanewise(LSHR, 4).sub(8).convertShape(I2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 16), sum);
            sum = ((FloatVector) p1.lanewise(LSHR, 4).sub(8).convertShape(I2F, F, 0)).fma(FloatVector.fromArray(F, x, i + 24), sum);
            acc = sum.fma(FloatVector.broadcast(F, Float.float16ToFloat(s.get(SHORT, off))), acc);
        }
        return VectorMath.hsum(acc);
    }

    @Override
    public float dot(int row, Q8Activations x) {
        checkRange(x);
        MemorySegment s = data;
        long off = rowOffset(row);
        short[] codes = x.codes;
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0, b = 0; i < cols; i += 32, off += 18, b++) {
            // 16 nibble bytes widened to shorts: low nibbles pair with codes 0-15, high with 16-31.
            ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 2, LE).convertShape(ZERO_EXTEND_B2S, S256, 0);
            ShortVector p = q.and((short) 0x0F).sub((short) 8).mul(ShortVector.fromArray(S256, codes, i))
                    .add(q.lanewise(LSHR, 4).sub((short) 8).mul(ShortVector.fromArray(S256, codes, i + 16)));
            // Each int lane holds two short sums whose total fits a short (4-bit weights): adding the lane
            // shifted left by 16 leaves the total in the high half, one operation fewer than splitting the halves.
            IntVector pairs = p.reinterpretAsInts();
            IntVector sum = pairs.add(pairs.lanewise(LSHL, 16)).lanewise(ASHR, 16);
            float scale = Float.float16ToFloat(s.get(SHORT, off)) * x.scales[b];
            acc = ((FloatVector) sum.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, scale), acc);
        }
        return VectorMath.hsum(acc);
    }
}
