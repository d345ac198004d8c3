package io.longkv.kv.evict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.model.RopeType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys are {@code s_p * e_31} and the window queries {@code e_31}, so a token's weight grows with s_p and
 * the kept set is known; values are one-hot so {@link Caches#kept} reads it back.
 */
class SnapKvTest {
    private static final LayerContext C = Caches.context(2, 1, 32, RopeType.NORM);

    /** Twelve prompt tokens: zero queries except the last two (the window), keys spiking as given. */
    private static LayerKvCache prompt(String spec, float... keyScale) {
        LayerKvCache cache = Caches.create(spec, C);
        float[] queryScale = new float[12];
        queryScale[10] = 1;
        queryScale[11] = 1;
        Caches.step(cache, C, Caches.spikes(C, 1, 31, keyScale), Caches.oneHotValues(C, 0, 12),
                Caches.spikes(C, 2, 31, queryScale), 12);
        cache.endPrefill();
        return cache;
    }

    @Test
    void keepsTheMostAttendedTokensAndTheWindow() {
        LayerKvCache cache = prompt("snapkv:budget=5,window=2,kernel=1", 0, 0, 30, 0, 10, 0, 0, 20, 0, 0, 0, 0);
        assertEquals(List.of(2, 4, 7, 10, 11), Caches.kept(cache, C, 0));
        cache.close();
    }

    @Test
    void maxPoolingKeepsTheNeighboursOfASpike() {
        LayerKvCache cache = prompt("snapkv:budget=5,window=2,kernel=3,pool=max", 0, 8, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0);
        assertEquals(List.of(4, 5, 6, 10, 11), Caches.kept(cache, C, 0));
        cache.close();
    }

    @Test
    void averagePoolingSpreadsSpikesAndCountsThePadding() {
        // Weights: 1 gets .41, 5 and 7 .29 each, the rest ~.0014. Averaged over three: 6 (between 5 and 7) .19,
        // then 1 and its neighbours .14 while 5 and 7 drop to .10; 2 edges out 0, whose window holds the zero padding.
        LayerKvCache cache = prompt("snapkv:budget=5,window=2,kernel=3,pool=avg", 0, 32, 0, 0, 0, 30, 0, 30, 0, 0, 0, 0);
        assertEquals(List.of(1, 2, 6, 10, 11), Caches.kept(cache, C, 0));
        cache.close();
    }

    @Test
    void eachKvHeadKeepsItsOwnTokens() {
        LayerContext c = Caches.context(4, 2, 32, RopeType.NORM);
        LayerKvCache cache = Caches.create("snapkv:budget=3,window=2,kernel=1", c);
        float[] keys = new float[12 * 2 * 32];
        keys[(3 * 2) * 32 + 31] = 30;          // KV head 0 spikes at 3
        keys[(8 * 2 + 1) * 32 + 31] = 30;      // KV head 1 spikes at 8
        float[] queryScale = new float[12];
        queryScale[10] = 1;
        queryScale[11] = 1;
        Caches.step(cache, c, keys, Caches.oneHotValues(c, 0, 12), Caches.spikes(c, 4, 31, queryScale), 12);
        cache.endPrefill();
        assertEquals(List.of(3, 10, 11), Caches.kept(cache, c, 0));
        assertEquals(List.of(8, 10, 11), Caches.kept(cache, c, 1));
        cache.close();
    }

    @Test
    void decodedTokensStayAndRollBackToThePromptEnd() {
        LayerKvCache cache = prompt("snapkv:budget=5,window=2,kernel=1", 0, 0, 30, 0, 10, 0, 0, 20, 0, 0, 0, 0);
        for (int p = 12; p < 15; p++) {
            Caches.step(cache, C, new float[32], Caches.oneHotValues(C, p, 1), new float[64], 1);
        }
        assertEquals(List.of(2, 4, 7, 10, 11, 12, 13, 14), Caches.kept(cache, C, 0));
        assertTrue(cache.canTruncate(12));
        assertFalse(cache.canTruncate(13), "the window now holds the queries of 13 and 14; 13 would need 12's");
        assertFalse(cache.canTruncate(11), "below the compression");
        assertThrows(IllegalStateException.class, () -> cache.truncate(11));
        cache.truncate(12);
        assertEquals(List.of(2, 4, 7, 10, 11), Caches.kept(cache, C, 0));
        cache.close();
    }

    @Test
    void belowTheBudgetNothingIsDropped() {
        LayerKvCache cache = prompt("snapkv:budget=12,window=2", 0, 0, 30, 0, 10, 0, 0, 20, 0, 0, 0, 0);
        assertEquals(12, Caches.kept(cache, C, 0).size());
        cache.close();
    }
}
