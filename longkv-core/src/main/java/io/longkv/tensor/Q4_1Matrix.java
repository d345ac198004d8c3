package io.longkv.tensor;

import static io.longkv.tensor.GgmlBlockOrder.ODD;
import static io.longkv.tensor.GgmlBlockOrder.SWAP_PAIRS;
import static io.longkv.tensor.Quants.B128;
import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.INT;
import static io.longkv.tensor.Quants.LE;
import static io.longkv.tensor.Quants.S256;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2S;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
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
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public float dot(int row, Q8Activations x) {
        return dot(row, x, 0); // here, not as a default method: a call site shared by two types inlines poorly
    }

    @Override
    public float dot(int row, Q8Activations x, int token) {
        checkRange(x, token);
        MemorySegment s = data;
        long off = rowOffset(row);
        short[] codes = x.codes;
        FloatVector acc = FloatVector.zero(F);
        float minSum = 0;
        for (int i = token * cols, b = i / 32, end = i + cols; i < end; i += 32, off += 20, b++) {
            int dm = s.get(INT, off); // d and m in one read: fewer bounds checks
            // 16 nibble bytes widened to shorts: low nibbles are values 0-15, high nibbles 16-31.
            ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 4, LE).convertShape(ZERO_EXTEND_B2S, S256, 0);
            IntVector p1 = (q.and((short) 0x0F).mul(ShortVector.fromArray(S256, codes, i))).reinterpretAsInts();
            IntVector p1h = (q.lanewise(LSHR, 4).mul(ShortVector.fromArray(S256, codes, i + 16))).reinterpretAsInts();
            p1 = p1.blend(p1h, ODD).reinterpretAsShorts().add(p1h.blend(p1, ODD).rearrange(SWAP_PAIRS).reinterpretAsShorts()).reinterpretAsInts();
            acc = ((FloatVector) p1.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p1.lanewise(ASHR, 16)).convertShape(I2F, F, 0))
                    .fma(FloatVector.broadcast(F, Float.float16ToFloat((short) dm) * x.scales[b]), acc);
            // ggml's "summs += m * s" is compiled with FMA contraction.
            minSum = Math.fma(Float.float16ToFloat((short) (dm >>> 16)), x.sums[b], minSum);
        }
        return GgmlBlockOrder.hsum(acc) + minSum;
    }

    @Override
    public void dot4(int row, Q8Activations x, int token, float[] out, int o, int stride) {
        checkRange(x, token + 3);
        MemorySegment s = data;
        long off = rowOffset(row);
        short[] codes = x.codes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        float min0 = 0;
        float min1 = 0;
        float min2 = 0;
        float min3 = 0;
        int n = cols;
        int blocks = cols / 32;
        for (int i = token * cols, b = i / 32, end = i + cols; i < end; i += 32, off += 20, b++) {
            int dm = s.get(INT, off);
            float d = Float.float16ToFloat((short) dm);
            float m = Float.float16ToFloat((short) (dm >>> 16));
            ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 4, LE).convertShape(ZERO_EXTEND_B2S, S256, 0);
            ShortVector lo = q.and((short) 0x0F);
            ShortVector hi = q.lanewise(LSHR, 4);
            IntVector p2 = (lo.mul(ShortVector.fromArray(S256, codes, i))).reinterpretAsInts();
            IntVector p2h = (hi.mul(ShortVector.fromArray(S256, codes, i + 16))).reinterpretAsInts();
            p2 = p2.blend(p2h, ODD).reinterpretAsShorts().add(p2h.blend(p2, ODD).rearrange(SWAP_PAIRS).reinterpretAsShorts()).reinterpretAsInts();
            acc0 = ((FloatVector) p2.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p2.lanewise(ASHR, 16)).convertShape(I2F, F, 0))
                    .fma(FloatVector.broadcast(F, d * x.scales[b]), acc0);
            IntVector p3 = (lo.mul(ShortVector.fromArray(S256, codes, i + n))).reinterpretAsInts();
            IntVector p3h = (hi.mul(ShortVector.fromArray(S256, codes, i + n + 16))).reinterpretAsInts();
            p3 = p3.blend(p3h, ODD).reinterpretAsShorts().add(p3h.blend(p3, ODD).rearrange(SWAP_PAIRS).reinterpretAsShorts()).reinterpretAsInts();
            acc1 = ((FloatVector) p3.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p3.lanewise(ASHR, 16)).convertShape(I2F, F, 0))
                    .fma(FloatVector.broadcast(F, d * x.scales[b + blocks]), acc1);
            IntVector p4 = (lo.mul(ShortVector.fromArray(S256, codes, i + 2 * n))).reinterpretAsInts();
            IntVector p4h = (hi.mul(ShortVector.fromArray(S256, codes, i + 2 * n + 16))).reinterpretAsInts();
            p4 = p4.blend(p4h, ODD).reinterpretAsShorts().add(p4h.blend(p4, ODD).rearrange(SWAP_PAIRS).reinterpretAsShorts()).reinterpretAsInts();
            acc2 = ((FloatVector) p4.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p4.lanewise(ASHR, 16)).convertShape(I2F, F, 0))
                    .fma(FloatVector.broadcast(F, d * x.scales[b + 2 * blocks]), acc2);
            IntVector p5 = (lo.mul(ShortVector.fromArray(S256, codes, i + 3 * n))).reinterpretAsInts();
            IntVector p5h = (hi.mul(ShortVector.fromArray(S256, codes, i + 3 * n + 16))).reinterpretAsInts();
            p5 = p5.blend(p5h, ODD).reinterpretAsShorts().add(p5h.blend(p5, ODD).rearrange(SWAP_PAIRS).reinterpretAsShorts()).reinterpretAsInts();
            acc3 = ((FloatVector) p5.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p5.lanewise(ASHR, 16)).convertShape(I2F, F, 0))
                    .fma(FloatVector.broadcast(F, d * x.scales[b + 3 * blocks]), acc3);
            min0 = Math.fma(m, x.sums[b], min0);
            min1 = Math.fma(m, x.sums[b + blocks], min1);
            min2 = Math.fma(m, x.sums[b + 2 * blocks], min2);
            min3 = Math.fma(m, x.sums[b + 3 * blocks], min3);
        }
        out[o] = GgmlBlockOrder.hsum(acc0) + min0;
        out[o + stride] = GgmlBlockOrder.hsum(acc1) + min1;
        out[o + 2 * stride] = GgmlBlockOrder.hsum(acc2) + min2;
        out[o + 3 * stride] = GgmlBlockOrder.hsum(acc3) + min3;
    }
}
