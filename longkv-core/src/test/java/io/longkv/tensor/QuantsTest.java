package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class QuantsTest {
    @Test
    void vectorHalfToFloatIsExactForEveryHalf() {
        // Bit-exact except NaN payloads (Float.float16ToFloat quiets them): floatToIntBits makes every NaN equal.
        MemorySegment halves = MemorySegment.ofArray(new short[65536]);
        for (int h = 0; h < 65536; h++) {
            halves.setAtIndex(ValueLayout.JAVA_SHORT, h, (short) h);
        }
        float[] lanes = new float[8];
        for (int h = 0; h < 65536; h += 8) {
            Quants.halves(halves, 2L * h).intoArray(lanes, 0);
            for (int l = 0; l < 8; l++) {
                float want = Float.float16ToFloat((short) (h + l));
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(lanes[l]),
                        "half 0x" + Integer.toHexString(h + l) + " -> " + want);
            }
        }
    }

    @Test
    void kQuantScalesUnpackSixBitFields() {
        // Sub-block j < 4: low 6 bits of bytes j (scale) and j + 4 (min). j >= 4: low/high nibble of byte
        // j + 4 with the top two bits of bytes j - 4 (scale) and j (min) as bits 4..5.
        byte[] packed = {(byte) 0xC1, 2, 3, 4, (byte) 0x85, 6, 7, 8, (byte) 0xA9, 0, 0, 0};
        MemorySegment s = MemorySegment.ofArray(packed);
        assertEquals(1, Quants.kScale(s, 0, 0));
        assertEquals(5, Quants.kMin(s, 0, 0));
        assertEquals(0x9 | (3 << 4), Quants.kScale(s, 0, 4));
        assertEquals(0xA | (2 << 4), Quants.kMin(s, 0, 4));
    }
}
