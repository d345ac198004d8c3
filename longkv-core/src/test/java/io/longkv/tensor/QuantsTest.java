package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class QuantsTest {
    @Test
    void vectorHalfToFloatIsExactForEveryFiniteHalf() {
        MemorySegment halves = MemorySegment.ofArray(new short[65536]);
        for (int h = 0; h < 65536; h++) {
            halves.setAtIndex(ValueLayout.JAVA_SHORT, h, (short) h);
        }
        float[] lanes = new float[8];
        for (int h = 0; h < 65536; h += 8) {
            Quants.finiteHalves(halves, 2L * h).intoArray(lanes, 0);
            for (int l = 0; l < 8; l++) {
                float want = Float.float16ToFloat((short) (h + l));
                if (!Float.isFinite(want)) {
                    continue;
                }
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(lanes[l]),
                        "half 0x" + Integer.toHexString(h + l) + " -> " + want);
            }
        }
    }

    @Test
    void kQuantScalesUnpackSixBitFields() {
        // Sub-block j < 4: low 6 bits of bytes j (scale) and j + 4 (min). j >= 4: low/high nibble of byte
        // j + 4 with the top two bits of bytes j - 4 (scale) and j (min) as bits 4..5.
        // Bytes 0..11 read as three little-endian ints.
        int w0 = 0x04_03_02_C1;
        int w1 = 0x08_07_06_85;
        int w2 = 0x00_00_B7_A9;
        assertEquals(1, Quants.kScale(w0, w2, 0));
        assertEquals(5, Quants.kMin(w1, w2, 0));
        assertEquals(3, Quants.kScale(w0, w2, 2));
        assertEquals(0x9 | (3 << 4), Quants.kScale(w0, w2, 4));
        assertEquals(0xA | (2 << 4), Quants.kMin(w1, w2, 4));
        assertEquals(0x7 | (0 << 4), Quants.kScale(w0, w2, 5));
        assertEquals(0xB | (0 << 4), Quants.kMin(w1, w2, 5));
    }
}
