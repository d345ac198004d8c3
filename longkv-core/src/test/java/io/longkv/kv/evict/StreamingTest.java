package io.longkv.kv.evict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.model.RopeType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamingTest {
    @Test
    void keepsTheSinksAndTheWindowAndRollsBackToThePromptEnd() {
        LayerContext c = Caches.context(2, 1, 32, RopeType.NORM);
        LayerKvCache cache = Caches.create("streaming:sink=2,window=3,shift=false", c);
        Random random = new Random(1);
        int row = c.kvHeads() * c.headDim();
        Caches.step(cache, c, gaussian(random, 8 * row), Caches.oneHotValues(c, 0, 8), gaussian(random, 8 * 2 * 32), 8);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), Caches.kept(cache, c, 0), "the prompt is attended whole");
        cache.endPrefill();
        assertEquals(List.of(0, 1, 5, 6, 7), Caches.kept(cache, c, 0));
        Caches.step(cache, c, gaussian(random, row), Caches.oneHotValues(c, 8, 1), gaussian(random, 64), 1);
        assertEquals(List.of(0, 1, 6, 7, 8), Caches.kept(cache, c, 0));
        Caches.step(cache, c, gaussian(random, row), Caches.oneHotValues(c, 9, 1), gaussian(random, 64), 1);
        assertEquals(List.of(0, 1, 7, 8, 9), Caches.kept(cache, c, 0));

        assertFalse(cache.canTruncate(9));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.truncate(9));
        assertTrue(e.getMessage().contains("end of the last prompt, 8 positions"), e.getMessage());
        assertEquals(10, cache.length(), "a refused truncate changes nothing");
        cache.truncate(8);
        assertEquals(List.of(0, 1, 5, 6, 7), Caches.kept(cache, c, 0));
        cache.close();
    }

    /**
     * Shifted: the attention must be llama.cpp's after its context shift, computed here from scratch: the
     * kept keys at their slot index as position (sink 0, window 1..), the query at the last slot index.
     * Not shifted: every key and the query at their true positions.
     */
    @ParameterizedTest
    @CsvSource({"NORM, true", "NEOX, true", "NORM, false", "NEOX, false"})
    void positionShiftIsTheContextShiftExactly(RopeType type, boolean shift) {
        int heads = 2;
        int headDim = 8;
        LayerContext c = Caches.context(heads, 1, headDim, type);
        LayerKvCache cache = Caches.create("streaming:sink=1,window=2,shift=" + shift, c);
        Random random = new Random(7);
        int positions = 9;
        float[][] rawKeys = new float[positions][];
        float[][] values = new float[positions][];
        for (int p = 0; p < positions; p++) {
            rawKeys[p] = gaussian(random, headDim);
            values[p] = gaussian(random, headDim);
        }
        float[][] rawQueries = new float[positions][];
        for (int p = 0; p < positions; p++) {
            rawQueries[p] = gaussian(random, heads * headDim);
            float[] q = rawQueries[p].clone();
            for (int h = 0; h < heads; h++) {
                rotate(q, h * headDim, headDim, p, type);
            }
            float[] k = rawKeys[p].clone();
            rotate(k, 0, headDim, p, type);
            float[] out = Caches.step(cache, c, k, values[p], q, 1);
            if (p == 0) {
                cache.endPrefill();
            }
            // Before this step's eviction: sink 0 plus positions p-2 .. p (or everything so far).
            int[] kept = p <= 2 ? java.util.stream.IntStream.rangeClosed(0, p).toArray() : new int[] {0, p - 2, p - 1, p};
            for (int h = 0; h < heads; h++) {
                double[] expected = attention(rawQueries[p], h, rawKeys, values, kept, headDim, type, shift);
                for (int i = 0; i < headDim; i++) {
                    assertEquals(expected[i], out[h * headDim + i], 2e-5, "position " + p + " head " + h + " dim " + i);
                }
            }
        }
        cache.close();
    }

    private static double[] attention(float[] rawQuery, int head, float[][] rawKeys, float[][] values, int[] kept,
                                      int headDim, RopeType type, boolean shift) {
        int last = kept[kept.length - 1];
        float[] q = java.util.Arrays.copyOfRange(rawQuery, head * headDim, (head + 1) * headDim);
        rotate(q, 0, headDim, shift ? kept.length - 1 : last, type);
        double[] w = new double[kept.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < kept.length; i++) {
            float[] k = rawKeys[kept[i]].clone();
            rotate(k, 0, headDim, shift ? i : kept[i], type);
            for (int d = 0; d < headDim; d++) {
                w[i] += (double) q[d] * k[d];
            }
            w[i] /= Math.sqrt(headDim);
            max = Math.max(max, w[i]);
        }
        double sum = 0;
        for (int i = 0; i < kept.length; i++) {
            w[i] = Math.exp(w[i] - max);
            sum += w[i];
        }
        double[] out = new double[headDim];
        for (int i = 0; i < kept.length; i++) {
            for (int d = 0; d < headDim; d++) {
                out[d] += w[i] / sum * values[kept[i]][d];
            }
        }
        return out;
    }

    /** RoPE written out independently of the engine's: pairs (2i, 2i+1) or (i, i + d/2), angle p * theta^(-2i/d). */
    private static void rotate(float[] x, int off, int headDim, int position, RopeType type) {
        int pairs = headDim / 2;
        for (int i = 0; i < pairs; i++) {
            double angle = position * Math.pow(Caches.THETA, -2.0 * i / headDim);
            int a = off + (type == RopeType.NEOX ? i : 2 * i);
            int b = type == RopeType.NEOX ? a + pairs : a + 1;
            double x0 = x[a];
            double x1 = x[b];
            x[a] = (float) (x0 * Math.cos(angle) - x1 * Math.sin(angle));
            x[b] = (float) (x0 * Math.sin(angle) + x1 * Math.cos(angle));
        }
    }

    static float[] gaussian(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
