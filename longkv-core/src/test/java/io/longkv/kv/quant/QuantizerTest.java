package io.longkv.kv.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantizerTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void everyElementIsWithinHalfAStepOfItsDequantizedValue(int bits) {
        Random random = new Random(bits);
        short[] params = new short[2];
        int[] codes = new int[64];
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + random.nextInt(64);
            float spread = (float) Math.pow(10, random.nextInt(7) - 3);
            float shift = (float) random.nextGaussian() * 10 * spread;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = trial % 10 == 0 ? shift : shift + spread * (float) random.nextGaussian();
            }
            Quantizer.quantize(x, 0, 1, n, bits, params, 0, codes);
            float step = Float.float16ToFloat(params[0]);
            for (int i = 0; i < n; i++) {
                assertTrue(codes[i] >= 0 && codes[i] < 1 << bits, "code " + codes[i]);
                double error = Math.abs(x[i] - Quantizer.dequantize(codes[i], params, 0));
                // Half a step, or for a constant group the rounding of min down to a half (one half ulp, 2^-24 when subnormal).
                double halfUlp = Math.max(Math.ulp(Float.float16ToFloat(params[1])) * 0x1p13, 0x1p-24);
                double bound = step > 0 ? step / 2 * (1 + 1e-5) + 1e-7 : halfUlp;
                assertTrue(error <= bound, "bits " + bits + " trial " + trial + ": |" + x[i] + " - x'| = " + error + " > " + bound);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void packedCodesReadBackAndDoNotDisturbTheirNeighbours(int bits) {
        Random random = new Random(7);
        int n = 200;
        int[] packed = new int[Quantizer.ints(n, bits) + 1];
        int[] expected = new int[n];
        for (int round = 0; round < 3; round++) {
            for (int e = 0; e < n; e++) {
                expected[e] = random.nextInt(1 << bits);
                Quantizer.setCode(packed, 1, e, bits, expected[e]);
            }
            for (int e = 0; e < n; e++) {
                assertEquals(expected[e], Quantizer.code(packed, 1, e, bits), "element " + e);
            }
            assertEquals(0, packed[0], "wrote before its base");
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, -0f, 1e-8f, -1e-8f, 0.1f, -0.1f, 3.14159f, -65000f, 60000f})
    void halfRoundingGoesOutward(float x) {
        assertTrue(Float.float16ToFloat(Quantizer.halfFloor(x)) <= x);
        if (x >= 0) {
            assertTrue(Float.float16ToFloat(Quantizer.halfCeil(x)) >= x);
        }
    }
}
