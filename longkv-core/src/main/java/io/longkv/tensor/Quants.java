package io.longkv.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Constants and scalar helpers shared by the block kernels. The kernels are written for 8-lane
 * float vectors (256-bit, AVX2): packed bytes are widened 8 at a time to int lanes, masked and
 * shifted there, and converted to floats.
 *
 * <p>Why the kernels spell their vector steps out instead of calling helpers here: C2 stops
 * inlining ordinary methods once a compilation passes its node-count cutoff, which the Vector API's
 * force-inlined internals reach quickly; a helper that returns a vector and is not inlined boxes it,
 * and the loop runs 10-20x slower. Helpers here return scalars, or are used only by small loops.
 */
final class Quants {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    /** Lane shift counts 8g .. 8g+7 that bring bit (8g + lane) of a 32-bit word down to bit 0. */
    static final IntVector[] BIT_SHIFTS = {
        IntVector.fromArray(I, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0),
        IntVector.fromArray(I, new int[] {8, 9, 10, 11, 12, 13, 14, 15}, 0),
        IntVector.fromArray(I, new int[] {16, 17, 18, 19, 20, 21, 22, 23}, 0),
        IntVector.fromArray(I, new int[] {24, 25, 26, 27, 28, 29, 30, 31}, 0),
    };

    private Quants() {
    }

    static float f16(MemorySegment s, long offset) {
        return Float.float16ToFloat(s.get(SHORT, offset));
    }

    static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /**
     * 8 finite halves at {@code offset} as floats, exactly: sign and the 15 magnitude bits moved to
     * float position, then scaled by 2^112 to re-bias the exponent (subnormal halves come out as
     * normal floats). Infinities and NaNs come out as finite values: weights hold none, and the
     * check would cost a third of the F16 kernel.
     */
    static FloatVector finiteHalves(MemorySegment s, long offset) {
        IntVector i = (IntVector) ShortVector.fromMemorySegment(S128, s, offset, LE).convertShape(VectorOperators.S2I, I, 0);
        return i.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_E000).reinterpretAsFloats().mul(0x1p112f);
    }

    /**
     * The 6-bit scale of sub-block {@code j} (0..7) of a Q4_K/Q5_K 12-byte scale array read as three
     * little-endian ints: for j < 4 the low 6 bits of byte j; else the low nibble of byte j + 4 with
     * the top 2 bits of byte j - 4 above it.
     */
    static int kScale(int w0, int w2, int j) {
        return j < 4
                ? (w0 >>> (8 * j)) & 63
                : ((w2 >>> (8 * (j - 4))) & 0x0F) | ((w0 >>> (8 * (j - 4) + 6)) & 3) << 4;
    }

    /** The 6-bit min of sub-block {@code j}: as {@link #kScale} with bytes 4..7 and the high nibbles of 8..11. */
    static int kMin(int w1, int w2, int j) {
        return j < 4
                ? (w1 >>> (8 * j)) & 63
                : ((w2 >>> (8 * (j - 4) + 4)) & 0x0F) | ((w1 >>> (8 * (j - 4) + 6)) & 3) << 4;
    }
}
