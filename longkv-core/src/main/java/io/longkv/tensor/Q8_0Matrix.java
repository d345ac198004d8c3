package io.longkv.tensor;

import static io.longkv.tensor.GgmlBlockOrder.ODD;
import static io.longkv.tensor.GgmlBlockOrder.SWAP_PAIRS;
import static io.longkv.tensor.Quants.B128;
import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.F;
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
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** Q8_0 block (34 bytes, 32 values): f16 scale d, 32 signed bytes q; value = d * q. */
final class Q8_0Matrix extends BlockMatrix implements Int8Rows {
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
        for (int i = token * cols, b = i / 32, end = i + cols; i < end; i += 32, off += 34, b++) {
            IntVector p1 = (((ShortVector) ByteVector.fromMemorySegment(B128, s, off + 2, LE).convertShape(B2S, S256, 0)) .mul(ShortVector.fromArray(S256, codes, i))).reinterpretAsInts();
            IntVector p1h = (((ShortVector) ByteVector.fromMemorySegment(B128, s, off + 18, LE).convertShape(B2S, S256, 0)) .mul(ShortVector.fromArray(S256, codes, i + 16))).reinterpretAsInts();
            p1 = p1.blend(p1h, ODD).reinterpretAsShorts().add(p1h.blend(p1, ODD).rearrange(SWAP_PAIRS).reinterpretAsShorts()).reinterpretAsInts();
            acc = ((FloatVector) p1.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p1.lanewise(ASHR, 16)).convertShape(I2F, F, 0))
                    .fma(FloatVector.broadcast(F, Float.float16ToFloat(s.get(SHORT, off)) * x.scales[b]), acc);
        }
        return GgmlBlockOrder.hsum(acc);
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
        int n = cols;
        int blocks = cols / 32;
        for (int i = token * cols, b = i / 32, end = i + cols; i < end; i += 32, off += 34, b++) {
            float d = Float.float16ToFloat(s.get(SHORT, off));
            ShortVector lo = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 2, LE).convertShape(B2S, S256, 0);
            ShortVector hi = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 18, LE).convertShape(B2S, S256, 0);
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
        }
        out[o] = GgmlBlockOrder.hsum(acc0);
        out[o + stride] = GgmlBlockOrder.hsum(acc1);
        out[o + 2 * stride] = GgmlBlockOrder.hsum(acc2);
        out[o + 3 * stride] = GgmlBlockOrder.hsum(acc3);
    }
}
