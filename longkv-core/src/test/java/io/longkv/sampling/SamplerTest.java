package io.longkv.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final float[] LOGITS = {1f, 3f, 2.5f, -1f, 0f, 2.9f};

    @Test
    void greedyPicksTheLargestLogit() {
        assertEquals(1, new Sampler(SamplingParams.greedy(), 6).sample(LOGITS.clone(), new int[0], 0));
    }

    @Test
    void topKOneIsGreedyWhateverTheTemperature() {
        Sampler s = new Sampler(new SamplingParams(5f, 1, 1f, 0f, 1f, 64, 9), 6);
        for (int i = 0; i < 50; i++) {
            assertEquals(1, s.sample(LOGITS.clone(), new int[0], 0));
        }
    }

    @Test
    void topKLimitsTheDrawToTheKBest() {
        Map<Integer, Integer> seen = draws(new SamplingParams(1f, 3, 1f, 0f, 1f, 64, 1), 2000);
        assertEquals(java.util.Set.of(1, 5, 2), seen.keySet());
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // Probabilities: token 1 0.33, 5 0.30, 2 0.20, 0 0.05 ... top-p 0.6 keeps {1, 5}.
        Map<Integer, Integer> seen = draws(new SamplingParams(1f, 0, 0.6f, 0f, 1f, 64, 2), 2000);
        assertEquals(java.util.Set.of(1, 5), seen.keySet());
    }

    @Test
    void minPDropsTokensFarBelowTheBest() {
        // exp(2.5-3)=0.61, exp(1-3)=0.14: min-p 0.5 keeps 1, 5 and 2 but not 0.
        Map<Integer, Integer> seen = draws(new SamplingParams(1f, 0, 1f, 0.5f, 1f, 64, 3), 2000);
        assertEquals(java.util.Set.of(1, 5, 2), seen.keySet());
    }

    @Test
    void frequenciesFollowTheSoftmaxAtTemperatureOne() {
        Map<Integer, Integer> seen = draws(new SamplingParams(1f, 0, 1f, 0f, 1f, 64, 4), 20000);
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        double expected = Math.exp(3) / z;
        assertEquals(expected, seen.get(1) / 20000.0, 0.02);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOnce() {
        float[] logits = LOGITS.clone();
        new Sampler(new SamplingParams(0f, 40, 1f, 0f, 2f, 64, 0), 6).sample(logits, new int[] {1, 3, 1}, 3);
        assertArrayEquals(new float[] {1f, 1.5f, 2.5f, -2f, 0f, 2.9f}, logits);
    }

    @Test
    void sameSeedSameDraws() {
        SamplingParams p = new SamplingParams(1.2f, 0, 0.9f, 0.01f, 1f, 64, 77);
        Sampler a = new Sampler(p, 6);
        Sampler b = new Sampler(p, 6);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.sample(LOGITS.clone(), new int[0], 0), b.sample(LOGITS.clone(), new int[0], 0));
        }
    }

    @Test
    void rejectsOutOfRangeParameters() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, -1, 1f, 0f, 1f, 64, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 0f, 0f, 1f, 64, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 1f, 1f, 1f, 64, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 1f, 0f, 0f, 64, 0));
    }

    private static Map<Integer, Integer> draws(SamplingParams params, int n) {
        Sampler s = new Sampler(params, LOGITS.length);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(s.sample(LOGITS.clone(), new int[0], 0), 1, Integer::sum);
        }
        assertTrue(counts.values().stream().mapToInt(Integer::intValue).sum() == n);
        return counts;
    }
}
