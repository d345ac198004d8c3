package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q8ActivationsTest {
    @Test
    void codesSpanPlusMinus127AndReconstructWithinHalfAStep() {
        float[] x = WeightMatrixTest.randomVector(new Random(4), 3 + 96);
        Q8Activations q = Q8Activations.of(x, 3, 96);
        assertEquals(96, q.length());
        for (int b = 0; b < 3; b++) {
            float max = 0;
            int extreme = 0;
            for (int j = 0; j < 32; j++) {
                max = Math.max(max, Math.abs(x[3 + b * 32 + j]));
                extreme = Math.max(extreme, Math.abs(q.codes[b * 32 + j]));
            }
            assertEquals(127, extreme, "the largest |x| of block " + b + " maps to 127");
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(max / 127f)), q.scales[b], "f16 scale of block " + b);
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                assertEquals((int) Math.rint(x[3 + i] * (127f / max)), q.codes[i], "code " + i + " is rint(x * 127 / max)");
                sum += q.codes[i];
                // Half a step, plus the f16 rounding of the scale carried through |code| <= 127.
                double allowed = q.scales[b] * (0.5 + 127 * 0x1p-11) + 1e-7;
                assertTrue(Math.abs(q.value(i) - x[3 + i]) <= allowed, "element " + i);
            }
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(max / 127f * sum)), q.sums[b], "f16 code sum of block " + b);
        }
    }

    @Test
    void tiesRoundToEvenAndZeroBlocksStayZero() {
        float[] x = new float[64];
        x[0] = 127f;  // scale 1: codes are the values rounded
        x[1] = 2.5f;
        x[2] = -3.5f;
        x[3] = 0.5f;
        Q8Activations q = Q8Activations.of(x, 0, 64);
        assertEquals(127, q.codes[0]);
        assertEquals(2, q.codes[1]);
        assertEquals(-4, q.codes[2]);
        assertEquals(0, q.codes[3]);
        for (int i = 32; i < 64; i++) {
            assertEquals(0, q.codes[i]);
        }
        assertEquals(0f, q.scales[1]);
        assertEquals(0f, q.sums[1]);
    }

    @Test
    void lengthMustBeWholeBlocks() {
        assertThrows(IllegalArgumentException.class, () -> Q8Activations.of(new float[40], 0, 40));
        assertThrows(IndexOutOfBoundsException.class, () -> Q8Activations.of(new float[40], 16, 32));
    }
}
