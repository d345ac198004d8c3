package io.longkv.tensor;

import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.BIT_SHIFTS;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.INT;
import static io.longkv.tensor.Quants.LE;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_1 block (24 bytes, 32 values): f16 scale d, f16 min m, 32-bit word of fifth bits (bit j for
 * value j), 16 bytes of nibbles (low nibbles are values 0..15, high 16..31); value = d * q + m.
 */
final class Q5_1Matrix extends BlockMatrix {
    Q5_1Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_1, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        float m = Quants.f16(s, offset + 2);
        int qh = s.get(INT, offset + 4);
        for (int j = 0; j < 16; j++) {
            int q = Quants.u8(s, offset + 8 + j);
            out[o + j] = d * ((q & 0x0F) | ((qh >>> j) & 1) << 4) + m;
            out[o + j + 16] = d * ((q >> 4) | ((qh >>> (j + 16)) & 1) << 4) + m;
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int i = xOffset, end = xOffset + cols; i < end; i += 32, off += 24) {
            int dm = s.get(INT, off);
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat((short) dm));
            FloatVector m = FloatVector.broadcast(F, Float.float16ToFloat((short) (dm >>> 16)));
            IntVector qh = IntVector.broadcast(I, s.get(INT, off + 4));
            IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B64, s, off + 8, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
            IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B64, s, off + 16, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
            // Fifth bit of value v is bit v of qh, moved to bit 4.
            IntVector q0 = p0.and(0x0F).or(qh.lanewise(LSHR, BIT_SHIFTS[0]).and(1).lanewise(LSHL, 4));
            IntVector q1 = p1.and(0x0F).or(qh.lanewise(LSHR, BIT_SHIFTS[1]).and(1).lanewise(LSHL, 4));
            IntVector q2 = p0.lanewise(LSHR, 4).or(qh.lanewise(LSHR, BIT_SHIFTS[2]).and(1).lanewise(LSHL, 4));
            IntVector q3 = p1.lanewise(LSHR, 4).or(qh.lanewise(LSHR, BIT_SHIFTS[3]).and(1).lanewise(LSHL, 4));
            acc0 = ((FloatVector) q0.convertShape(I2F, F, 0)).fma(d, m).fma(FloatVector.fromArray(F, x, i), acc0);
            acc1 = ((FloatVector) q1.convertShape(I2F, F, 0)).fma(d, m).fma(FloatVector.fromArray(F, x, i + 8), acc1);
            acc0 = ((FloatVector) q2.convertShape(I2F, F, 0)).fma(d, m).fma(FloatVector.fromArray(F, x, i + 16), acc0);
            acc1 = ((FloatVector) q3.convertShape(I2F, F, 0)).fma(d, m).fma(FloatVector.fromArray(F, x, i + 24), acc1);
        }
        return VectorMath.hsum(acc0.add(acc1));
    }
}
