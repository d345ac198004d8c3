package io.longkv.kv.evict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.model.RopeType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys spike at positions 1 and 4 along e_31 and every query is e_31, so (causally) position 1 collects
 * about one unit of weight per query head from rows 1..3 and half from rows 4.., position 4 half from
 * rows 4.., position 0 one unit from row 0, and the zero keys almost nothing once a spike is visible.
 */
class H2oTest {
    private static final LayerContext C = Caches.context(2, 1, 32, RopeType.NORM);

    @Test
    void keepsHeavyHittersAndRecentTokensAndEvictsOnePerStep() {
        LayerKvCache cache = Caches.create("h2o:heavy=2,recent=2", C);
        float[] queries = Caches.spikes(C, 2, 31, 1, 1, 1, 1, 1, 1, 1, 1);
        Caches.step(cache, C, Caches.spikes(C, 1, 31, 0, 120, 0, 0, 120, 0, 0, 0), Caches.oneHotValues(C, 0, 8), queries, 8);
        cache.endPrefill();
        assertEquals(List.of(1, 4, 6, 7), Caches.kept(cache, C, 0));

        Caches.step(cache, C, new float[32], Caches.oneHotValues(C, 8, 1), Caches.spikes(C, 2, 31, 1), 1);
        assertEquals(List.of(1, 4, 7, 8), Caches.kept(cache, C, 0), "6 left the recent window with the lowest score");
        Caches.step(cache, C, new float[32], Caches.oneHotValues(C, 9, 1), Caches.spikes(C, 2, 31, 1), 1);
        assertEquals(List.of(1, 4, 8, 9), Caches.kept(cache, C, 0));

        assertFalse(cache.canTruncate(9), "scores of the later queries cannot be taken back");
        cache.truncate(8);
        assertEquals(List.of(1, 4, 6, 7), Caches.kept(cache, C, 0));
        cache.close();
    }

    @Test
    void decodeQueriesAddToTheScores() {
        // Zero prompt queries weigh uniformly over what each row sees: 0 gets 4.17, 1 2.17, 2 1.17, 3 0.5 (two query heads).
        LayerKvCache cache = Caches.create("h2o:heavy=2,recent=1", C);
        float[] keys = new float[4 * 32];
        keys[3 * 32 + 30] = 120;
        Caches.step(cache, C, keys, Caches.oneHotValues(C, 0, 4), new float[4 * 64], 4);
        cache.endPrefill();
        assertEquals(List.of(0, 1, 3), Caches.kept(cache, C, 0));
        // A decode query on 3 lifts it to 2.5, above 1: 1 goes, not 3.
        Caches.step(cache, C, new float[32], Caches.oneHotValues(C, 4, 1), Caches.spikes(C, 2, 30, 1), 1);
        assertEquals(List.of(0, 3, 4), Caches.kept(cache, C, 0));
        cache.close();
    }
}
