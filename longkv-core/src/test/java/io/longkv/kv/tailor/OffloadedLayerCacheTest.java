package io.longkv.kv.tailor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.ColdReads;
import io.longkv.kv.KvSpec;
import io.longkv.kv.KvTesting;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffloadedLayerCacheTest {
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 32;
    private static final int KV_DIM = KV_HEADS * HEAD_DIM;
    private static final int Q_DIM = HEADS * HEAD_DIM;
    private static final ModelConfig MODEL = KvTesting.model(1, HEADS, KV_HEADS, HEAD_DIM);
    private static final TailorProfile ALL_SPARSE = new TailorProfile("tiny", "id", 0.05, 0.2, 32, "test", 100, new double[] {0.0});
    /** A prompt over two whole chunks and a partial one. */
    private static final int PROMPT = 600;

    @TempDir
    Path coldDir;

    /** A token stream (keys and values rounded to f16, as both tiers store them) and a cache fed with it. */
    private final class Run {
        final LayerKvCache cache;
        final float[] keys;
        final float[] values;
        final float[] queries;
        final float[] out;

        Run(String params, int tokens, long seed) {
            KvSpec spec = KvSpec.parse("tailor:group=32,cold-dir=" + coldDir + (params.isEmpty() ? "" : "," + params));
            spec.check(MODEL);
            cache = new TailorMethod(ALL_SPARSE).create(KvTesting.context(0, MODEL, new BlockPool(1L << 30, 16)), spec.rule(0).params());
            Random random = new Random(seed);
            keys = f16(KvTesting.gaussian(random, tokens * KV_DIM));
            values = f16(KvTesting.gaussian(random, tokens * KV_DIM));
            queries = KvTesting.gaussian(random, tokens * Q_DIM);
            out = new float[tokens * Q_DIM];
        }

        /** Appends and attends tokens [from, from + n) as one chunk; their outputs go to rows from.. of {@link #out}. */
        void feed(int from, int n) {
            cache.append(from, slice(keys, from, n, KV_DIM), slice(values, from, n, KV_DIM), n);
            float[] o = new float[n * Q_DIM];
            cache.attend(from, slice(queries, from, n, Q_DIM), n, o);
            System.arraycopy(o, 0, out, from * Q_DIM, o.length);
        }

        /** Prefills the prompt in chunks of 128 and ends the prefill. */
        void prompt() {
            for (int t = 0; t < PROMPT; t += 128) {
                feed(t, Math.min(128, PROMPT - t));
            }
            cache.endPrefill();
        }

        /** Worst difference from dense attention of row {@code row} over every position up to it. */
        double errorAgainstFull(int row) {
            return KvTesting.worst(h -> KvTesting.attend(keys, values, queries, row, h, HEADS, KV_HEADS, HEAD_DIM, row + 1, t -> true),
                    out, row, HEADS, HEAD_DIM);
        }

        float[] row(int row) {
            return Arrays.copyOfRange(out, row * Q_DIM, (row + 1) * Q_DIM);
        }
    }

    private static float[] f16(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
        }
        return x;
    }

    private static float[] slice(float[] x, int from, int n, int width) {
        return Arrays.copyOfRange(x, from * width, (from + n) * width);
    }

    private List<Path> coldFiles() throws IOException {
        try (Stream<Path> files = Files.list(coldDir)) {
            return files.toList();
        }
    }

    @Test
    void aBudgetCoveringThePromptIsFullAttention() {
        Run run = new Run("budget=1000,sinks=4,recent=20", PROMPT + 8, 1);
        run.prompt();
        for (int row : new int[] {0, 127, 300, PROMPT - 1}) {
            assertTrue(run.errorAgainstFull(row) < 1e-4, "prefill row " + row);
        }
        for (int t = PROMPT; t < PROMPT + 8; t++) {
            run.feed(t, 1);
            assertTrue(run.errorAgainstFull(t) < 1e-4, "decode row " + t + ": " + run.errorAgainstFull(t));
        }
        ColdReads reads = run.cache.coldReads();
        assertEquals(8, reads.steps());
        assertEquals(8L * (PROMPT - 24) * KV_HEADS * 2 * HEAD_DIM * 2, reads.bytes(), "every middle token read back once per step");
        run.cache.close();
    }

    @Test
    void selectionRecallsATokenTheQueryPointsAt() {
        Run run = new Run("budget=40,sinks=4,recent=12,channels=4", PROMPT + 4, 2);
        // A needle in the middle: its key is a large multiple of the decode queries' direction, its value distinct.
        int needle = 333;
        float[] direction = new float[HEAD_DIM];
        for (int i = 0; i < HEAD_DIM; i++) {
            direction[i] = i % 7 == 0 ? 1 : 0;
        }
        for (int h = 0; h < KV_HEADS; h++) {
            for (int i = 0; i < HEAD_DIM; i++) {
                run.keys[needle * KV_DIM + h * HEAD_DIM + i] = direction[i] * 8;
                run.values[needle * KV_DIM + h * HEAD_DIM + i] = 5;
            }
        }
        run.prompt();
        for (int t = PROMPT; t < PROMPT + 4; t++) {
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < HEAD_DIM; i++) {
                    run.queries[t * Q_DIM + h * HEAD_DIM + i] = direction[i] * 4;
                }
            }
            run.feed(t, 1);
            for (int i = 0; i < Q_DIM; i++) {
                assertTrue(run.out[t * Q_DIM + i] > 4, "the needle dominates the output at step " + t);
            }
            assertTrue(run.errorAgainstFull(t) < 1e-3);
        }
        ColdReads reads = run.cache.coldReads();
        assertEquals(5, reads.prefetches(), "the prompt's last query prefetches for the first step, each step for the next");
        assertEquals(4 * KV_HEADS * 4, reads.neededRows());
        assertTrue(reads.prefetchHits() <= 4 && reads.missedRows() < reads.neededRows(),
                "the same query direction every step: later steps find their channels prefetched " + reads);
        run.cache.close();
    }

    @Test
    void hotMemoryHoldsSinksRecentAndGeneratedOnly() {
        Run run = new Run("budget=40,sinks=4,recent=12,channels=4", PROMPT + 4, 3);
        run.prompt();
        long hot = run.cache.memory().hot();
        long cold = run.cache.memory().cold();
        assertTrue(cold >= (long) PROMPT * KV_DIM * 2 * 3, "keys, values and channel-major keys at f16 are cold: " + cold);
        assertTrue(hot < cold / 4, "hot " + hot + " vs cold " + cold);
    }

    @Test
    void truncateForkSaveAndLoadAreExact() throws IOException {
        Run run = new Run("budget=40,sinks=4,recent=12,channels=4", PROMPT + 6, 4);
        run.prompt();
        for (int t = PROMPT; t < PROMPT + 3; t++) {
            run.feed(t, 1);
        }
        float[] third = run.row(PROMPT + 2);
        LayerKvCache fork = run.cache.fork();
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        run.cache.save(new DataOutputStream(saved));

        run.cache.truncate(PROMPT + 2);
        run.feed(PROMPT + 2, 1);
        assertArrayEquals(third, run.row(PROMPT + 2), "after truncating to the generated part");

        run.feed(PROMPT + 3, 1);
        float[] fourth = run.row(PROMPT + 3);
        float[] q = slice(run.queries, PROMPT + 3, 1, Q_DIM);
        float[] o = new float[Q_DIM];
        fork.append(PROMPT + 3, slice(run.keys, PROMPT + 3, 1, KV_DIM), slice(run.values, PROMPT + 3, 1, KV_DIM), 1);
        fork.attend(PROMPT + 3, q, 1, o);
        assertArrayEquals(fourth, o, "the fork decodes as the original");

        LayerKvCache loaded = new Run("budget=40,sinks=4,recent=12,channels=4", 1, 5).cache;
        loaded.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
        assertEquals(PROMPT + 3, loaded.length());
        loaded.append(PROMPT + 3, slice(run.keys, PROMPT + 3, 1, KV_DIM), slice(run.values, PROMPT + 3, 1, KV_DIM), 1);
        loaded.attend(PROMPT + 3, q, 1, o);
        assertArrayEquals(fourth, o, "the loaded cache decodes as the original");

        run.cache.truncate(PROMPT - 50);
        assertEquals(PROMPT - 50, run.cache.length());
        run.feed(PROMPT - 50, 1);
        assertTrue(run.errorAgainstFull(PROMPT - 50) < 1e-4, "below the prompt end the layer attends densely again");

        fork.close();
        loaded.close();
        run.cache.close();
        assertEquals(List.of(), coldFiles(), "closing every holder deletes the cold files");
    }

    @Test
    void aCorruptedColdFileFailsItsSessionOnly() throws IOException {
        Run damaged = new Run("budget=40,sinks=4,recent=12,channels=4", PROMPT + 2, 6);
        damaged.prompt();
        List<Path> files = coldFiles();
        Run healthy = new Run("budget=40,sinks=4,recent=12,channels=4", PROMPT + 2, 6);
        healthy.prompt();
        assertEquals(1, files.size());
        try (FileChannel channel = FileChannel.open(files.getFirst(), StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[(int) channel.size()];
            Arrays.fill(garbage, (byte) 0x55);
            channel.write(ByteBuffer.wrap(garbage), 0);
        }
        ColdTierException e = assertThrows(ColdTierException.class, () -> damaged.feed(PROMPT, 1));
        assertTrue(e.getMessage().contains("corrupted") && e.getMessage().contains(files.getFirst().toString()), e.getMessage());
        healthy.feed(PROMPT, 1);
        assertEquals(PROMPT + 1, healthy.cache.length(), "another session's cold tier is not affected");
        damaged.cache.close();
        healthy.cache.close();
    }

    @Test
    void aDeletedColdFileFailsWithAClearError() throws IOException {
        Run run = new Run("budget=40,sinks=4,recent=12,channels=4", PROMPT + 2, 7);
        run.prompt();
        Files.delete(coldFiles().getFirst());
        ColdTierException e = assertThrows(ColdTierException.class, () -> run.feed(PROMPT, 1));
        assertTrue(e.getMessage().contains("deleted"), e.getMessage());
        run.cache.close();
    }

    @Test
    void quantizationFriendlyLayersAreKivi() {
        TailorProfile profile = new TailorProfile("tiny", "id", 0.05, 0.2, 32, "test", 100, new double[] {0.9});
        KvSpec spec = KvSpec.parse("tailor:group=32");
        LayerKvCache cache = new TailorMethod(profile).create(KvTesting.context(0, MODEL, new BlockPool(1L << 30, 16)), spec.rule(0).params());
        assertEquals("KiviLayerCache", cache.getClass().getSimpleName());
        cache.close();
    }
}
