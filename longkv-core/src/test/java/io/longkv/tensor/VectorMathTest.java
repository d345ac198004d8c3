package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each helper against a plain double-precision loop, on lengths with vector tails. */
class VectorMathTest {
    private static final int[] LENGTHS = {1, 7, 8, 31, 64, 577};

    private static float[] random(long seed, int n) {
        return WeightMatrixTest.randomVector(new Random(seed), n);
    }

    @Test
    void dot() {
        for (int n : LENGTHS) {
            float[] a = random(1, n + 3);
            float[] b = random(2, n + 1);
            double want = 0;
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                want += (double) a[3 + i] * b[1 + i];
                magnitude += Math.abs((double) a[3 + i] * b[1 + i]);
            }
            assertEquals(want, VectorMath.dot(a, 3, b, 1, n), 1e-6 * magnitude, "n=" + n);
        }
    }

    @Test
    void rmsnorm() {
        for (int n : LENGTHS) {
            float[] x = random(3, n);
            float[] w = random(4, n);
            double ss = 0;
            for (float v : x) {
                ss += (double) v * v;
            }
            double inv = 1 / Math.sqrt(ss / n + 1e-5);
            float[] out = new float[n];
            VectorMath.rmsnorm(out, x, w, n, 1e-5f);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i] * inv * w[i], out[i], 1e-5 * Math.abs(x[i] * inv * w[i]) + 1e-7, "n=" + n + " i=" + i);
            }
            VectorMath.rmsnorm(x, x, w, n, 1e-5f);
            assertArrayEquals(out, x, "in place");
        }
    }

    @Test
    void softmax() {
        for (int n : LENGTHS) {
            float[] x = random(5, n + 2);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 20; // large logits: the max must be subtracted
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, x[2 + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(x[2 + i] - max);
            }
            float[] y = x.clone();
            VectorMath.softmax(y, 2, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Math.exp(x[2 + i] - max) / sum, y[2 + i], 1e-6, "n=" + n + " i=" + i);
            }
            assertEquals(x[0], y[0]);
            assertEquals(x[1], y[1]);
        }
    }

    @Test
    void swiglu() {
        for (int n : LENGTHS) {
            float[] gate = random(6, n);
            float[] up = random(7, n);
            float[] out = gate.clone();
            VectorMath.swiglu(out, up, n);
            for (int i = 0; i < n; i++) {
                double want = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                assertEquals(want, out[i], 1e-6 * Math.abs(want) + 1e-7, "n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void axpyAddScale() {
        for (int n : LENGTHS) {
            float[] x = random(8, n + 1);
            float[] y = random(9, n + 2);
            float[] axpy = y.clone();
            VectorMath.axpy(0.5f, x, 1, axpy, 2, n);
            float[] add = y.clone();
            VectorMath.add(x, add, n);
            float[] scaled = y.clone();
            VectorMath.scale(scaled, 2, n, 3f);
            for (int i = 0; i < n; i++) {
                assertEquals(y[2 + i] + 0.5f * x[1 + i], axpy[2 + i], 1e-6f);
                assertEquals(y[i] + x[i], add[i]);
                assertEquals(y[2 + i] * 3f, scaled[2 + i]);
            }
        }
    }

    @Test
    void halfConversionsRoundTrip() {
        float[] values = {0f, -0f, 1f, -2.5f, 65504f, 6.1e-5f, 5.96e-8f, 1e-3f, Float.POSITIVE_INFINITY};
        short[] halves = new short[values.length];
        VectorMath.f32ToF16(values, 0, halves, 0, values.length);
        float[] back = new float[values.length];
        VectorMath.f16ToF32(halves, 0, back, 0, values.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(values[i])), back[i]);
            assertEquals(back[i], VectorMath.f16ToF32(VectorMath.f32ToF16(values[i])));
            assertEquals(values[i], back[i], Math.abs(values[i]) * 1e-3 + 3e-8, "value " + values[i]);
        }
    }
}
