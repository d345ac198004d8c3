package io.longkv.kv.evict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.KvSpecException;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.model.RopeType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every eviction method owes the cache contract, on random data (6 heads over 2 KV heads, 16 dims). */
class EvictionContractTest {
    private static final LayerContext C = Caches.context(6, 2, 16, RopeType.NORM);
    private static final int ROW = 2 * 16;
    private static final int QROW = 6 * 16;

    /** A 40-token prompt in two chunks, its end, then 20 decode steps; returns every output. */
    private static float[] run(LayerKvCache cache, long seed, int decode) {
        Random random = new Random(seed);
        float[] all = new float[(40 + decode) * QROW];
        int at = 0;
        for (int chunk : new int[] {25, 15}) {
            float[] out = Caches.step(cache, C, StreamingTest.gaussian(random, chunk * ROW), StreamingTest.gaussian(random, chunk * ROW),
                    StreamingTest.gaussian(random, chunk * QROW), chunk);
            System.arraycopy(out, 0, all, at, out.length);
            at += out.length;
        }
        cache.endPrefill();
        for (int i = 0; i < decode; i++) {
            float[] out = Caches.step(cache, C, StreamingTest.gaussian(random, ROW), StreamingTest.gaussian(random, ROW),
                    StreamingTest.gaussian(random, QROW), 1);
            System.arraycopy(out, 0, all, at, out.length);
            at += out.length;
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"streaming:sink=4,window=100", "snapkv:budget=200,window=8", "h2o:heavy=50,recent=60"})
    void equalsFullAttentionWhenTheBudgetCoversEverything(String spec) {
        try (LayerKvCache full = Caches.create("full", C); LayerKvCache method = Caches.create(spec, C)) {
            assertArrayEquals(run(full, 3, 20), run(method, 3, 20), 1e-6f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"streaming:sink=4,window=12", "snapkv:budget=16,window=4", "h2o:heavy=8,recent=8"})
    void compressesForksSavesAndRollsBack(String spec) throws IOException {
        LayerKvCache cache = Caches.create(spec, C);
        LayerKvCache full = Caches.create("full", C);
        run(cache, 5, 0);
        run(full, 5, 0);
        assertTrue(cache.memory().hot() < full.memory().hot(), cache.memory() + " vs full " + full.memory());
        assertTrue(cache.bytesRead() > 0);

        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        cache.save(new DataOutputStream(saved));
        LayerKvCache fork = cache.fork();
        float[] next = decode(cache, 9, 10);
        assertTrue(cache.canTruncate(40));
        cache.truncate(40);
        assertArrayEquals(next, decode(cache, 9, 10), 1e-6f, "rolled back to the prompt end: the same decode again");
        assertArrayEquals(next, decode(fork, 9, 10), 1e-6f, "the fork did not see the original's steps");

        LayerKvCache loaded = Caches.create(spec, C);
        loaded.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
        assertEquals(40, loaded.length());
        assertArrayEquals(next, decode(loaded, 9, 10), 1e-6f, "saved and loaded");
        for (LayerKvCache c : new LayerKvCache[] {cache, full, fork, loaded}) {
            c.close();
        }
        assertEquals(0, C.blocks().used(), "everything given back to the pool");
    }

    private static float[] decode(LayerKvCache cache, long seed, int steps) {
        Random random = new Random(seed);
        float[] all = new float[steps * QROW];
        for (int i = 0; i < steps; i++) {
            float[] out = Caches.step(cache, C, StreamingTest.gaussian(random, ROW), StreamingTest.gaussian(random, ROW),
                    StreamingTest.gaussian(random, QROW), 1);
            System.arraycopy(out, 0, all, i * QROW, QROW);
        }
        return all;
    }

    @Test
    void specErrorsSayWhatIsWrong() {
        assertMessage("snapkv needs window < budget", "snapkv:budget=32,window=32");
        assertMessage("snapkv kernel must be odd", "snapkv:kernel=4");
        assertMessage("h2o needs heavy + recent >= 1", "h2o:heavy=0,recent=0");
        assertMessage("KV method 'streaming' parameter 'window' must be in [1, inf], got 0", "streaming:window=0");
        assertMessage("KV method 'streaming' parameter 'shift' must be one of true, false, got 'yes'", "streaming:shift=yes");
        assertMessage("KV method 'snapkv' parameter 'pool' must be one of max, avg, got 'mean'", "snapkv:pool=mean");
    }

    private static void assertMessage(String expected, String spec) {
        KvSpecException e = assertThrows(KvSpecException.class, () -> Caches.create(spec, C));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
