package io.longkv.tensor;

import static io.longkv.tensor.Quants.B128;
import static io.longkv.tensor.Quants.B64;
import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;
import static io.longkv.tensor.Quants.INT;
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
 * Q4_K super-block (144 bytes, 256 values): f16 d, f16 dmin, 12 bytes of packed 6-bit scales and
 * mins for 8 sub-blocks of 32, 128 bytes of nibbles. Each 32 bytes hold two sub-blocks: low nibbles
 * the first, high nibbles the second. value = (d * scale) * q - dmin * min.
 */
final class Q4_KMatrix extends BlockMatrix implements Int8Dot {
    Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_K, data, rows, cols);
    }

    @Override
    void dequantizeBlock(MemorySegment s, long offset, float[] out, int o) {
        float d = Quants.f16(s, offset);
        float dmin = Quants.f16(s, offset + 2);
        int w0 = s.get(INT, offset + 4);
        int w1 = s.get(INT, offset + 8);
        int w2 = s.get(INT, offset + 12);
        for (int j = 0; j < 8; j++) {
            float scale = d * Quants.kScale(w0, w2, j);
            float min = dmin * Quants.kMin(w1, w2, j);
            long qs = offset + 16 + 32 * (j / 2);
            int shift = 4 * (j % 2);
            for (int l = 0; l < 32; l++) {
                out[o + 32 * j + l] = scale * ((Quants.u8(s, qs + l) >> shift) & 0x0F) - min;
            }
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        checkRange(x, xOffset);
        MemorySegment s = data;
        long off = rowOffset(row);
        float sum = 0;
        for (int i = xOffset, end = xOffset + cols; i < end; i += 256, off += 144) {
            float d = Float.float16ToFloat(s.get(SHORT, off));
            float dmin = -Float.float16ToFloat(s.get(SHORT, off + 2));
            int w0 = s.get(INT, off + 4);
            int w1 = s.get(INT, off + 8);
            int w2 = s.get(INT, off + 12);
            for (int j = 0; j < 8; j += 2) {
                sum += pair(s, off + 16 + 16 * j, x, i + 32 * j,
                        d * Quants.kScale(w0, w2, j), dmin * Quants.kMin(w1, w2, j),
                        d * Quants.kScale(w0, w2, j + 1), dmin * Quants.kMin(w1, w2, j + 1));
            }
        }
        return sum;
    }

    /**
     * Two sub-blocks times x[i .. i + 64): the low nibbles of the 32 bytes at qs (scale, -min: lo) and
     * the high nibbles (hi). Straight-line and returning a float: whether or not C2 inlines it into
     * the row loop, no vector is boxed.
     */
    private static float pair(MemorySegment s, long qs, float[] x, int i, float scaleLo, float minLo, float scaleHi, float minHi) {
        FloatVector sLo = FloatVector.broadcast(F, scaleLo);
        FloatVector mLo = FloatVector.broadcast(F, minLo);
        FloatVector sHi = FloatVector.broadcast(F, scaleHi);
        FloatVector mHi = FloatVector.broadcast(F, minHi);
        IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B64, s, qs, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B64, s, qs + 8, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector p2 = (IntVector) ByteVector.fromMemorySegment(B64, s, qs + 16, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        IntVector p3 = (IntVector) ByteVector.fromMemorySegment(B64, s, qs + 24, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
        FloatVector a = ((FloatVector) p0.and(0x0F).convertShape(I2F, F, 0)).fma(sLo, mLo).mul(FloatVector.fromArray(F, x, i));
        FloatVector b = ((FloatVector) p1.and(0x0F).convertShape(I2F, F, 0)).fma(sLo, mLo).mul(FloatVector.fromArray(F, x, i + 8));
        a = ((FloatVector) p2.and(0x0F).convertShape(I2F, F, 0)).fma(sLo, mLo).fma(FloatVector.fromArray(F, x, i + 16), a);
        b = ((FloatVector) p3.and(0x0F).convertShape(I2F, F, 0)).fma(sLo, mLo).fma(FloatVector.fromArray(F, x, i + 24), b);
        a = ((FloatVector) p0.lanewise(LSHR, 4).convertShape(I2F, F, 0)).fma(sHi, mHi).fma(FloatVector.fromArray(F, x, i + 32), a);
        b = ((FloatVector) p1.lanewise(LSHR, 4).convertShape(I2F, F, 0)).fma(sHi, mHi).fma(FloatVector.fromArray(F, x, i + 40), b);
        a = ((FloatVector) p2.lanewise(LSHR, 4).convertShape(I2F, F, 0)).fma(sHi, mHi).fma(FloatVector.fromArray(F, x, i + 48), a);
        b = ((FloatVector) p3.lanewise(LSHR, 4).convertShape(I2F, F, 0)).fma(sHi, mHi).fma(FloatVector.fromArray(F, x, i + 56), b);
        return VectorMath.hsum(a.add(b));
    }

    @Override
    public float dot(int row, Q8Activations x) {
        checkRange(x);
        MemorySegment s = data;
        long rowStart = rowOffset(row);
        short[] codes = x.codes;
        FloatVector acc = FloatVector.zero(F);
        float minSum = 0;
        // One flat loop over pairs of sub-blocks (64 values): nested vector loops defeat C2's unrolling.
        for (int c = 0; c < cols; c += 64) {
            long off = rowStart + (c >> 8) * 144L;
            int j = (c >> 5) & 7;
            float d = Float.float16ToFloat(s.get(SHORT, off));
            float dmin = Float.float16ToFloat(s.get(SHORT, off + 2));
            int w0 = s.get(INT, off + 4);
            int w1 = s.get(INT, off + 8);
            int w2 = s.get(INT, off + 12);
            // 32 bytes: low nibbles are sub-block j (activation block b), high nibbles sub-block j + 1.
            int b = c >> 5;
            ShortVector q0 = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 16 + 16 * j, LE).convertShape(ZERO_EXTEND_B2S, S256, 0);
            ShortVector q1 = (ShortVector) ByteVector.fromMemorySegment(B128, s, off + 32 + 16 * j, LE).convertShape(ZERO_EXTEND_B2S, S256, 0);
            ShortVector lo = q0.and((short) 0x0F).mul(ShortVector.fromArray(S256, codes, c))
                    .add(q1.and((short) 0x0F).mul(ShortVector.fromArray(S256, codes, c + 16)));
            ShortVector hi = q0.lanewise(LSHR, 4).mul(ShortVector.fromArray(S256, codes, c + 32))
                    .add(q1.lanewise(LSHR, 4).mul(ShortVector.fromArray(S256, codes, c + 48)));
            // Each int lane holds two short sums whose total fits a short (4-bit weights): adding the lane
            // shifted left by 16 leaves the total in the high half, one operation fewer than splitting the halves.
            IntVector loPairs = lo.reinterpretAsInts();
            IntVector hiPairs = hi.reinterpretAsInts();
            IntVector loSum = loPairs.add(loPairs.lanewise(LSHL, 16)).lanewise(ASHR, 16);
            IntVector hiSum = hiPairs.add(hiPairs.lanewise(LSHL, 16)).lanewise(ASHR, 16);
            float loScale = d * Quants.kScale(w0, w2, j) * x.scales[b];
            float hiScale = d * Quants.kScale(w0, w2, j + 1) * x.scales[b + 1];
            acc = ((FloatVector) loSum.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, loScale), acc);
            acc = ((FloatVector) hiSum.convertShape(I2F, F, 0)).fma(FloatVector.broadcast(F, hiScale), acc);
            minSum += dmin * (Quants.kMin(w1, w2, j) * x.sums[b] + Quants.kMin(w1, w2, j + 1) * x.sums[b + 1]);
        }
        return VectorMath.hsum(acc) - minSum;
    }
}
