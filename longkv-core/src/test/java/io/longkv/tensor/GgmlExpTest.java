package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The ggml_v_expf / ggml_v_silu port against llama.cpp's own outputs and a scalar transliteration of its C code. */
public class GgmlExpTest {
    /** {gate, up, swiglu} from llama.cpp's ffn_swiglu-5 on the default model's chat fixture (its AVX2 build). */
    private static final float[][] LLAMA_CPP_SWIGLU = {
        {-0x1.7d0bf6p+2f, 0x1.a98b2p-2f, -0x1.a3d396p-8f},
        {0x1.413866p+2f, 0x1.c14fd6p-2f, 0x1.180a2p+1f},
        {-0x1.ce588cp-1f, -0x1.0d0ff4p-1f, 0x1.18516ap-3f},
        {-0x1.9a41f8p-3f, 0x1.61c6bp-2f, -0x1.fe5a8ep-6f},
        {0x1.335904p-3f, 0x1.2a2a5ep-1f, 0x1.80c7f6p-5f},
        {0x1.d49b9p-3f, -0x1.498a8p-4f, -0x1.4ff8p-7f},
        {-0x1.00813cp-2f, -0x1.1ad398p-3f, 0x1.f026dp-7f},
        {-0x1.bc5fc8p-1f, -0x1.f75aep-4f, 0x1.025adp-5f},
    };

    @Test
    void swigluMatchesLlamaCppBitForBit() {
        int n = LLAMA_CPP_SWIGLU.length + 3; // a tail shorter than a vector too
        float[] gate = new float[n];
        float[] up = new float[n];
        for (int i = 0; i < n; i++) {
            float[] v = LLAMA_CPP_SWIGLU[i % LLAMA_CPP_SWIGLU.length];
            gate[i] = v[0];
            up[i] = v[1];
        }
        VectorMath.swiglu(gate, up, n);
        for (int i = 0; i < n; i++) {
            assertEquals(LLAMA_CPP_SWIGLU[i % LLAMA_CPP_SWIGLU.length][2], gate[i], "element " + i);
        }
    }

    /** ggml_v_expf for one lane, transliterated from its AVX2 intrinsics. */
    public static float expScalar(float x) {
        float r = 0x1.8p23f;
        float z = Math.fma(x, 0x1.715476p+0f, r);
        float n = z - r;
        float b = Math.fma(-n, 0x1.7f7d1cp-20f, Math.fma(-n, 0x1.62e4p-1f, x));
        int e = Float.floatToRawIntBits(z) << 23;
        float k = Float.intBitsToFloat(e + Float.floatToRawIntBits(1f));
        boolean c = Math.abs(n) > 126;
        float u = b * b;
        float j = Math.fma(Math.fma(Math.fma(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, Math.fma(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
                u, 0x1.ffffecp-1f * b);
        if (!c) {
            return Math.fma(j, k, k);
        }
        int g = n <= 0 ? 0x8200_0000 : 0;
        float s1 = Float.intBitsToFloat(g + 0x7f00_0000);
        float s2 = Float.intBitsToFloat(e - g);
        if (Math.abs(n) > 192) {
            return s1 * s1;
        }
        return Math.fma(s2, j, s2) * s1;
    }

    @Test
    void everyLaneIsTheScalarAlgorithmAndWithinTwoUlpOfExp() {
        Random random = new Random(9);
        float[] x = new float[8];
        for (int trial = 0; trial < 2000; trial++) {
            for (int l = 0; l < 8; l++) {
                x[l] = trial % 10 == 0 ? (float) (random.nextDouble() * 400 - 200) : (float) (random.nextGaussian() * 20);
            }
            FloatVector e = GgmlExp.exp(FloatVector.fromArray(FloatVector.SPECIES_256, x, 0));
            for (int l = 0; l < 8; l++) {
                float want = expScalar(x[l]);
                assertEquals(want, e.lane(l), "exp(" + x[l] + ")");
                double exact = Math.exp(x[l]);
                if (exact > 0x1p-126 && exact < Float.MAX_VALUE) {
                    assertTrue(Math.abs(want - exact) <= 2 * Math.ulp((float) exact), "exp(" + x[l] + ") = " + want + ", want " + exact);
                }
            }
        }
        assertEquals(1f, expScalar(0f));
        assertEquals(0f, expScalar(Float.NEGATIVE_INFINITY));
        assertEquals(0f, expScalar(-200f));
        assertEquals(Float.POSITIVE_INFINITY, expScalar(200f));
    }
}
