package io.longkv.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Shared pieces of the block kernels: scalar reads of block headers and the vector steps that turn
 * packed bytes into 8 float lanes. The kernels are written for 8-lane float vectors (256-bit, AVX2);
 * everything here is static so that C2 inlines it into each type's loop.
 */
final class Quants {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private Quants() {
    }

    static float f16(MemorySegment s, long offset) {
        return Float.float16ToFloat(s.get(SHORT, offset));
    }

    static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /** 8 bytes at {@code offset} widened (sign-extended) to 8 int lanes. */
    static IntVector ints(MemorySegment s, long offset) {
        return (IntVector) ByteVector.fromMemorySegment(B64, s, offset, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    static FloatVector floats(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, F, 0);
    }

    /** Lanes {@code part*8 .. part*8+7} of a byte vector as floats. */
    static FloatVector floats(ByteVector v, int part) {
        return (FloatVector) v.convertShape(VectorOperators.B2F, F, part);
    }

    static ByteVector lowNibbles(ByteVector packed) {
        return packed.and((byte) 0x0F);
    }

    static ByteVector highNibbles(ByteVector packed) {
        return packed.lanewise(VectorOperators.LSHR, 4);
    }

    static ByteVector bytes16(MemorySegment s, long offset) {
        return ByteVector.fromMemorySegment(B128, s, offset, LE);
    }

    /** Lane shift counts 8g .. 8g+7 that bring bit (8g + lane) of a 32-bit word down to bit 0. */
    static final IntVector[] BIT_SHIFTS = {
        IntVector.fromArray(I, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0),
        IntVector.fromArray(I, new int[] {8, 9, 10, 11, 12, 13, 14, 15}, 0),
        IntVector.fromArray(I, new int[] {16, 17, 18, 19, 20, 21, 22, 23}, 0),
        IntVector.fromArray(I, new int[] {24, 25, 26, 27, 28, 29, 30, 31}, 0),
    };

    /** 16 if bit (8g + lane) of {@code bits} is set, else 0: the fifth bit of Q5_0/Q5_1 quants. */
    static IntVector fifthBits(int bits, IntVector shifts) {
        return IntVector.broadcast(I, bits).lanewise(VectorOperators.LSHR, shifts).and(1).lanewise(VectorOperators.LSHL, 4);
    }

    /**
     * IEEE half to float on 8 lanes, exact: the magnitude shifted into float position and scaled by
     * 2^112 re-biases the exponent (subnormal halves become normal floats on the way); infinities and
     * NaNs get the all-ones exponent back (NaNs keep their payload, not quieted as the scalar
     * conversion does: weights hold no NaNs and the F16 kernel is not charged for them).
     */
    static FloatVector halfToFloat(ShortVector h) {
        IntVector i = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        FloatVector magnitude = i.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
        IntVector bits = magnitude.reinterpretAsInts().or(i.and(0x8000).lanewise(VectorOperators.LSHL, 16));
        VectorMask<Integer> special = i.and(0x7C00).eq(0x7C00);
        return bits.lanewise(VectorOperators.OR, 0x7F80_0000, special).reinterpretAsFloats();
    }

    /** 8 halves at {@code offset} as floats. */
    static FloatVector halves(MemorySegment s, long offset) {
        return halfToFloat(ShortVector.fromMemorySegment(S128, s, offset, LE));
    }

    /** The 6-bit scale of sub-block {@code j} (0..7) of a Q4_K/Q5_K 12-byte scale array. */
    static int kScale(MemorySegment s, long scales, int j) {
        return j < 4
                ? u8(s, scales + j) & 63
                : (u8(s, scales + j + 4) & 0x0F) | ((u8(s, scales + j - 4) >> 6) << 4);
    }

    /** The 6-bit min of sub-block {@code j} (0..7) of a Q4_K/Q5_K 12-byte scale array. */
    static int kMin(MemorySegment s, long scales, int j) {
        return j < 4
                ? u8(s, scales + j + 4) & 63
                : (u8(s, scales + j + 4) >> 4) | ((u8(s, scales + j) >> 6) << 4);
    }
}
