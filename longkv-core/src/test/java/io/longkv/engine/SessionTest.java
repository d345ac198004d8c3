package io.longkv.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.KvSpec;
import io.longkv.kv.block.BlockPool;
import io.longkv.kv.block.KvMemoryException;
import io.longkv.model.Model;
import io.longkv.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fork, rollback, prefix reuse and save/load against recomputing from scratch, on a tiny model (head_dim 32
 * so q8_0 applies). Chunks of one block keep the chunk boundaries of both sides equal, so both run the
 * same arithmetic; logits (of size ~10) are compared to 1e-4 only because the Vector API's interpreted and compiled
 * forms of a reduction may round differently while the JIT warms up.
 */
class SessionTest {
    private static final int CHUNK = BlockPool.DEFAULT_BLOCK_TOKENS;
    private static final TinyModels.Spec SPEC = new TinyModels.Spec("llama", 128, 4, 2, 96, 2, 1024);
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;
    static Model model;

    @BeforeAll
    static void load() throws IOException {
        model = Model.load(TinyModels.write(SPEC, dir.resolve("tiny.gguf"), 7));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] tokens(int n, int seed) {
        return new Random(seed).ints(n, 0, 256).toArray();
    }

    /** Logits of a new session (own engine, nothing cached) after appending each part in turn. */
    private static float[] fresh(int[]... parts) {
        Session s = new Session(model, 1024, CHUNK);
        for (int[] p : parts) {
            s.append(p);
        }
        return s.logits().clone();
    }

    @Test
    void forkedSessionsDivergeIndependently() {
        Session base = new Session(model, 512, CHUNK);
        int[] context = tokens(45, 1);
        base.append(context);
        Session fork = base.fork();
        int[] a = tokens(9, 2);
        int[] b = tokens(20, 3);
        base.append(a);
        fork.append(b);
        assertClose(fresh(context, a), base.logits());
        assertClose(fresh(context, b), fork.logits());
        assertEquals(45 + 20, fork.length());
    }

    @Test
    void rollbackDropsDecodedTokens() {
        Session s = new Session(model, 512, CHUNK);
        int[] context = tokens(37, 4);
        s.append(context);
        Session.Checkpoint checkpoint = s.checkpoint();
        for (int t : tokens(21, 5)) {
            s.append(t);
        }
        s.rollback(checkpoint);
        int[] next = tokens(6, 6);
        s.append(next);
        assertClose(fresh(context, next), s.logits());

        s.truncate(10);
        s.append(tokens(40, 7));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.rollback(checkpoint));
        assertTrue(e.getMessage().contains("truncated or rewritten before the checkpoint"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"full:dtype=f32", "full:dtype=f16", "full:dtype=q8_0"})
    void aNewSessionReusesTheCachedPrefix(String spec) {
        Engine engine = new Engine(model, KvSpec.parse(spec), 64L << 20);
        int[] context = tokens(70, 8);
        int[] first = concat(context, tokens(5, 9));
        int[] second = concat(context, tokens(12, 10));
        try (Session one = engine.newSession(512, CHUNK)) {
            one.append(first);
        }
        Session two = engine.newSession(512, CHUNK);
        two.append(second);
        EngineStats stats = engine.stats();
        assertEquals(1, stats.prefixHits());
        assertEquals(1, stats.prefixMisses());
        assertEquals(64, stats.reusedTokens()); // the whole blocks of the shared context
        Session recomputed = new Engine(model, KvSpec.parse(spec), 64L << 20).newSession(512, CHUNK);
        recomputed.append(second);
        assertClose(recomputed.logits(), two.logits());
        assertArrayEquals(second, two.tokens());
    }

    @Test
    void savedSessionLoadsAndContinuesIdentically() throws IOException {
        Session s = new Session(model, 512, CHUNK);
        int[] context = tokens(50, 11);
        s.append(context);
        s.append(3);
        Path file = dir.resolve("s.lkv");
        s.save(file);
        Session loaded = new Session(model, 512, CHUNK);
        loaded.load(file);
        assertArrayEquals(s.tokens(), loaded.tokens());
        assertArrayEquals(s.logits(), loaded.logits());
        int[] next = tokens(8, 12);
        s.append(next);
        loaded.append(next);
        assertClose(s.logits(), loaded.logits());
    }

    @Test
    void badFilesFailClearlyAndLeaveTheSessionAlone() throws IOException {
        Session saved = new Session(model, 512, CHUNK);
        saved.append(tokens(40, 13));
        Path file = dir.resolve("good.lkv");
        saved.save(file);
        byte[] bytes = Files.readAllBytes(file);

        Session target = new Session(model, 512, CHUNK);
        target.append(tokens(20, 14));
        int[] before = target.tokens();
        float[] logits = target.logits().clone();

        Path truncated = Files.write(dir.resolve("truncated.lkv"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertLoadFails(target, truncated, "corrupt or truncated");
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 3] ^= 0x10;
        assertLoadFails(target, Files.write(dir.resolve("flipped.lkv"), flipped), "checksum mismatch");
        try (Model other = Model.load(TinyModels.write(SPEC, dir.resolve("other.gguf"), 8))) {
            Session otherSession = new Session(other, 512, CHUNK);
            IOException e = assertThrows(IOException.class, () -> otherSession.load(file));
            assertTrue(e.getMessage().contains("was saved with model 'tiny-llama'"), e.getMessage());
        }
        Session f16 = new Engine(model, KvSpec.parse("full:dtype=f16"), 64L << 20).newSession(512, CHUNK);
        IOException e = assertThrows(IOException.class, () -> f16.load(file));
        assertTrue(e.getMessage().contains("holds a 'full:dtype=f32,flash=auto' cache but the session uses 'full:dtype=f16,flash=auto'"), e.getMessage());

        assertArrayEquals(before, target.tokens());
        assertArrayEquals(logits, target.logits());
        assertEquals(20, target.cache().length());
    }

    private static void assertLoadFails(Session target, Path file, String message) {
        IOException e = assertThrows(IOException.class, () -> target.load(file));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void budgetFailsCleanlyAndEvictsOnlyUnusedPrefixes() {
        // One block in each of the tiny model's 2 layers: CHUNK tokens x 2 KV heads x 32 dims x 2 (K, V) x 4 bytes.
        long perBlockPair = 2L * CHUNK * 2 * 32 * 2 * 4;
        Engine engine = new Engine(model, KvSpec.parse("full"), 10 * perBlockPair);
        Session first = engine.newSession(1024, CHUNK);
        first.append(tokens(6 * CHUNK + CHUNK / 4, 15)); // 7 blocks per layer
        first.close();
        assertEquals(6 * perBlockPair, engine.stats().kvBytesUsed()); // the prefix cache keeps the 6 whole blocks
        Session second = engine.newSession(1024, CHUNK);
        int[] other = tokens(9 * CHUNK + CHUNK / 2, 16);
        second.append(other); // 10 blocks: the cached prefix must go
        assertTrue(engine.stats().prefixEvictions() >= 1);
        assertClose(fresh(other), second.logits());

        // Now the blocks are in use by a live session: nothing can be evicted, the append fails and changes nothing.
        int before = second.length();
        KvMemoryException e = assertThrows(KvMemoryException.class, () -> second.append(tokens(CHUNK, 17)));
        assertTrue(e.getMessage().contains("KV memory budget exhausted"), e.getMessage());
        assertEquals(before, second.length());
        assertEquals(before, second.cache().length());
        int[] more = tokens(3, 18);
        second.append(more);
        assertClose(fresh(other, more), second.logits());
    }

    @Test
    void forksRunConcurrentlyGiveTheSameOutputsAsOneByOne() throws Exception {
        Session base = new Session(model, 512, CHUNK);
        base.append(tokens(90, 19));
        int n = 8;
        Session[] sequential = new Session[n];
        for (int i = 0; i < n; i++) {
            sequential[i] = run(base.fork(), i);
        }
        Session[] concurrent = new Session[n];
        Thread[] threads = new Thread[n];
        Throwable[] failures = new Throwable[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            Session fork = base.fork();
            threads[i] = new Thread(() -> {
                try {
                    concurrent[index] = run(fork, index);
                } catch (Throwable t) {
                    failures[index] = t;
                }
            });
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < n; i++) {
            assertEquals(null, failures[i]);
            assertArrayEquals(sequential[i].tokens(), concurrent[i].tokens(), "fork " + i);
            assertClose(sequential[i].logits(), concurrent[i].logits());
        }
    }

    /** A request on a fork: its own question, then greedy decoding. */
    private static Session run(Session s, int seed) {
        s.append(tokens(7 + seed, 100 + seed));
        for (int step = 0; step < 12; step++) {
            s.append(argmax(s.logits()));
        }
        return s;
    }

    private static void assertClose(float[] expected, float[] actual) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, "max abs difference " + worst);
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
