package io.longkv.kv.kivi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.KvTesting;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.BlockPool;
import io.longkv.kv.quant.PackedKernels;
import io.longkv.kv.quant.PackedRows;
import io.longkv.kv.quant.Quantizer;
import io.longkv.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KiviLayerCacheTest {
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 32;
    private static final int KV_DIM = KV_HEADS * HEAD_DIM;
    private static final int Q_DIM = HEADS * HEAD_DIM;
    private static final ModelConfig MODEL = KvTesting.model(2, HEADS, KV_HEADS, HEAD_DIM);

    /** Keys, values and queries of a token stream, and the cache fed with it. */
    private static final class Run {
        final KiviLayerCache cache;
        final float[] keys;
        final float[] values;
        final float[] queries;
        final float[] out;

        Run(String spec, int blockTokens, int tokens, long seed) {
            cache = (KiviLayerCache) KvTesting.cache(spec, 1, MODEL, new BlockPool(1L << 30, blockTokens));
            Random random = new Random(seed);
            keys = KvTesting.gaussian(random, tokens * KV_DIM);
            values = KvTesting.gaussian(random, tokens * KV_DIM);
            queries = KvTesting.gaussian(random, tokens * Q_DIM);
            out = new float[tokens * Q_DIM];
            // Channel-dependent key scales, as real keys have outlier channels.
            for (int i = 0; i < keys.length; i++) {
                keys[i] *= 1 + (i % HEAD_DIM) % 5;
            }
        }

        /** Appends and attends tokens [from, from + n) as one chunk (a prompt when n > 1). */
        void feed(int from, int n) {
            cache.append(from, slice(keys, from, n, KV_DIM), slice(values, from, n, KV_DIM), n);
            cache.attend(from, slice(queries, from, n, Q_DIM), n, out);
        }

        void prompt(int from, int n) {
            feed(from, n);
            cache.endPrefill();
        }
    }

    private static float[] slice(float[] x, int from, int n, int width) {
        float[] s = new float[n * width];
        System.arraycopy(x, from * width, s, 0, n * width);
        return s;
    }

    @Test
    void flushRulesStepByStep() {
        // R = 16, G = 8: a 20-token prompt, then decode.
        Run run = new Run("kivi:bits=2,group=8,residual=16", 4, 64, 1);
        run.feed(0, 20);
        assertEquals(0, run.cache.quantizedKeys(), "prefill attends at full precision");
        assertEquals(0, run.cache.quantizedValues());
        run.cache.endPrefill();
        assertEquals(16, run.cache.quantizedKeys(), "keys: floor(20 / 16) * 16 quantized after prefill");
        assertEquals(4, run.cache.quantizedValues(), "values: all but the last 16");
        // Decode token at position p: its attention sees keys quantized up to floor(p / 16) * 16 (the key residual
        // grows to 16 and is flushed whole) and values up to p - 16 (a sliding window of 16, plus the new token).
        int[][] expected = {{20, 16, 4}, {21, 16, 5}, {31, 16, 15}, {32, 32, 16}, {33, 32, 17}, {47, 32, 31}, {48, 48, 32}};
        int row = 0;
        for (int p = 20; p <= 48; p++) {
            run.feed(p, 1);
            if (row < expected.length && expected[row][0] == p) {
                assertEquals(expected[row][1], run.cache.quantizedKeys(), "keys quantized when attending position " + p);
                assertEquals(expected[row][2], run.cache.quantizedValues(), "values quantized when attending position " + p);
                row++;
            }
        }
        assertEquals(expected.length, row);
    }

    @Test
    void prefillAttentionIsFullPrecision() {
        Run fresh = new Run("kivi:bits=2,group=8,residual=16", 4, 40, 2);
        fresh.feed(0, 40);
        for (int r = 0; r < 40; r++) {
            int row = r;
            double worst = KvTesting.worst(h -> KvTesting.attend(fresh.keys, fresh.values, fresh.queries, row, h, HEADS, KV_HEADS,
                    HEAD_DIM, row + 1, t -> true), fresh.out, r, HEADS, HEAD_DIM);
            assertTrue(worst < 1e-5, "a first prompt is exact attention; row " + r + ": " + worst);
        }
        // A later prompt sees the earlier turns as quantized (keys below 16, values below 8) and itself exactly.
        Run run = new Run("kivi:bits=2,group=8,residual=16", 4, 40, 2);
        run.prompt(0, 24);
        float[] keys = dequantized(run, true, 2, 8);
        float[] values = dequantized(run, false, 2, 8);
        run.feed(24, 16);
        assertEquals(16, run.cache.quantizedKeys());
        float[] chunk = slice(run.queries, 24, 16, Q_DIM);
        float[] allKeys = run.keys.clone();
        float[] allValues = run.values.clone();
        System.arraycopy(keys, 0, allKeys, 0, keys.length);
        System.arraycopy(values, 0, allValues, 0, values.length);
        for (int r = 0; r < 16; r++) {
            int row = r;
            double worst = KvTesting.worst(h -> KvTesting.attend(allKeys, allValues, chunk, row, h, HEADS, KV_HEADS, HEAD_DIM,
                    24 + row + 1, t -> true), run.out, r, HEADS, HEAD_DIM);
            assertTrue(worst < 2e-5, "row " + r + ": " + worst);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 8, 16, 4", "2, 8, 16, 4", "4, 8, 16, 4", "2, 32, 64, 16", "2, 16, 32, 5", "4, 32, 32, 16"})
    void decodeEqualsAttentionOverDequantizedCache(int bits, int group, int residual, int blockTokens) {
        String spec = "kivi:bits=" + bits + ",group=" + group + ",residual=" + residual;
        int tokens = 5 * residual + 7;
        Run run = new Run(spec, blockTokens, tokens, bits * 7L + group);
        int prompt = 2 * residual + 3;
        run.prompt(0, prompt);
        for (int p = prompt; p < tokens; p++) {
            run.feed(p, 1);
            float[] keys = dequantized(run, true, bits, group);
            float[] values = dequantized(run, false, bits, group);
            float[] q = slice(run.queries, p, 1, Q_DIM);
            int visible = p + 1;
            double worst = KvTesting.worst(h -> KvTesting.attend(keys, values, q, 0, h, HEADS, KV_HEADS, HEAD_DIM, visible, t -> true),
                    run.out, 0, HEADS, HEAD_DIM);
            assertTrue(worst < 2e-5, spec + " position " + p + ": " + worst);
        }
    }

    /** The cache's keys or values as attention should see them: dequantized codes below the boundary, exact above. */
    private static float[] dequantized(Run run, boolean keys, int bits, int group) {
        KiviLayerCache c = run.cache;
        float[] exact = keys ? run.keys : run.values;
        float[] out = slice(exact, 0, c.length(), KV_DIM);
        PackedRows rows = keys ? c.packedKeys() : c.packedValues();
        int quantized = keys ? c.quantizedKeys() : c.quantizedValues();
        for (int t = 0; t < quantized; t++) {
            for (int h = 0; h < KV_HEADS; h++) {
                for (int ch = 0; ch < HEAD_DIM; ch++) {
                    float value;
                    if (keys) {
                        int row = t / group;
                        int code = Quantizer.code(rows.codes(h), rows.codeBase(row), PackedKernels.keyElement(t % group, ch, HEAD_DIM), bits);
                        // Key params: the group's scales, then its mins.
                        short[] pair = {rows.params(h)[rows.paramBase(row) + ch], rows.params(h)[rows.paramBase(row) + HEAD_DIM + ch]};
                        value = Quantizer.dequantize(code, pair, 0);
                    } else {
                        int code = Quantizer.code(rows.codes(h), rows.codeBase(t), ch, bits);
                        value = Quantizer.dequantize(code, rows.params(h), rows.paramBase(t) + 2 * (ch / group));
                    }
                    out[t * KV_DIM + h * HEAD_DIM + ch] = value;
                }
            }
        }
        return out;
    }

    @Test
    void truncationGoesBackExactlyToTheEndOfThePrompt() {
        Run run = new Run("kivi:bits=2,group=8,residual=16", 4, 80, 3);
        run.prompt(0, 40);
        float[][] first = new float[20][];
        for (int p = 40; p < 60; p++) {
            run.feed(p, 1);
            first[p - 40] = slice(run.out, 0, 1, Q_DIM);
        }
        assertTrue(run.cache.canTruncate(40));
        assertFalse(run.cache.canTruncate(39), "values of 23 were only kept quantized");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.cache.truncate(39));
        assertTrue(e.getMessage().contains("end of the last prompt"), e.getMessage());
        assertEquals(60, run.cache.length(), "a refused truncation changes nothing");
        run.cache.truncate(40);
        assertEquals(32, run.cache.quantizedKeys());
        assertEquals(24, run.cache.quantizedValues());
        for (int p = 40; p < 60; p++) {
            run.feed(p, 1);
            assertArrayEquals(first[p - 40], slice(run.out, 0, 1, Q_DIM), "decode after rollback, position " + p);
        }
    }

    @Test
    void rollbackWindowBoundsTheFullPrecisionKept() {
        Run run = new Run("kivi:bits=2,group=8,residual=16,rollback=4", 4, 80, 4);
        run.prompt(0, 40);
        for (int p = 40; p < 50; p++) {
            run.feed(p, 1);
        }
        assertFalse(run.cache.canTruncate(40), "more than 4 decoded values were quantized: the checkpoint is gone");
        assertTrue(run.cache.canTruncate(run.cache.fullPrecisionFrom() + 16));
        Run shortPrompt = new Run("kivi:bits=2,group=8,residual=16", 4, 80, 4);
        shortPrompt.prompt(0, 10);
        shortPrompt.feed(10, 1);
        assertTrue(shortPrompt.cache.canTruncate(0), "nothing quantized yet: any length");
    }

    @Test
    void forksAreIndependentAndSaveLoadRoundTrips() throws IOException {
        Run run = new Run("kivi:bits=4,group=8,residual=16", 4, 80, 5);
        run.prompt(0, 45);
        run.feed(45, 1);
        LayerKvCache fork = run.cache.fork();
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        run.cache.save(new DataOutputStream(saved));
        for (int p = 46; p < 70; p++) {
            run.feed(p, 1);
        }
        float[] expected = slice(run.out, 0, 1, Q_DIM);

        Run other = new Run("kivi:bits=4,group=8,residual=16", 4, 80, 6);
        float[] out = new float[Q_DIM];
        for (int p = 46; p < 60; p++) {
            fork.append(p, slice(other.keys, p, 1, KV_DIM), slice(other.values, p, 1, KV_DIM), 1);
            fork.attend(p, slice(other.queries, p, 1, Q_DIM), 1, out);
        }
        assertEquals(60, fork.length());
        assertEquals(70, run.cache.length());

        LayerKvCache loaded = KvTesting.cache("kivi:bits=4,group=8,residual=16", 1, MODEL, new BlockPool(1L << 30, 4));
        loaded.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
        assertEquals(46, loaded.length());
        for (int p = 46; p < 70; p++) {
            loaded.append(p, slice(run.keys, p, 1, KV_DIM), slice(run.values, p, 1, KV_DIM), 1);
            loaded.attend(p, slice(run.queries, p, 1, Q_DIM), 1, out);
        }
        assertArrayEquals(expected, out, "the loaded copy decodes like the original (unaffected by the fork)");
        fork.close();
        loaded.close();
    }

    @Test
    void memoryCountsCodesParamsAndTheFullPrecisionTail() {
        BlockPool pool = new BlockPool(1L << 30, 32);
        KiviLayerCache cache = (KiviLayerCache) KvTesting.cache("kivi:bits=2,group=32,residual=128", 1, MODEL, pool);
        Random random = new Random(9);
        int tokens = 1000;
        cache.append(0, KvTesting.gaussian(random, tokens * KV_DIM), KvTesting.gaussian(random, tokens * KV_DIM), tokens);
        cache.endPrefill();
        assertEquals(896, cache.quantizedKeys());
        assertEquals(872, cache.quantizedValues());
        // Per KV head: a key group is 32 x 32 two-bit codes (256 B) and 32 half pairs (128 B); a value token 8 B + 1 pair (4 B).
        long codes = 28 * KV_HEADS * (256 + 128) + 872L * KV_HEADS * (8 + 4);
        long tail = (1000 / 32 + 1 - 872 / 32) * 32L * KV_DIM * 2 * Float.BYTES;
        assertTrue(cache.memory().hot() >= codes + tail, cache.memory() + " vs " + (codes + tail));
        assertTrue(cache.memory().hot() <= codes * 1.2 + tail, cache.memory() + " vs " + (codes + tail));
        assertEquals(pool.used(), cache.memory().hot());
        cache.close();
        assertEquals(0, pool.used());
    }
}
