package io.longkv.kv.quest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.KvTesting;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuestLayerCacheTest {
    private static final int HEADS = 6;
    private static final int KV_HEADS = 2;
    private static final int GROUP = HEADS / KV_HEADS;
    private static final int HEAD_DIM = 20;
    private static final int KV_DIM = KV_HEADS * HEAD_DIM;
    private static final int Q_DIM = HEADS * HEAD_DIM;
    private static final ModelConfig MODEL = KvTesting.model(4, HEADS, KV_HEADS, HEAD_DIM);

    private record Stream(float[] keys, float[] values, float[] queries) {
        static Stream random(int tokens, long seed) {
            Random random = new Random(seed);
            return new Stream(KvTesting.gaussian(random, tokens * KV_DIM), KvTesting.gaussian(random, tokens * KV_DIM),
                    KvTesting.gaussian(random, tokens * Q_DIM));
        }

        float[] slice(float[] x, int from, int n, int width) {
            float[] s = new float[n * width];
            System.arraycopy(x, from * width, s, 0, n * width);
            return s;
        }

        /** Appends and attends [from, from + n), returns the outputs. */
        float[] feed(LayerKvCache cache, int from, int n) {
            float[] out = new float[n * Q_DIM];
            cache.append(from, slice(keys, from, n, KV_DIM), slice(values, from, n, KV_DIM), n);
            cache.attend(from, slice(queries, from, n, Q_DIM), n, out);
            if (n > 1) {
                cache.endPrefill();
            }
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f16"})
    void pageBoundIsAtLeastEveryKeyOfItsPage(String dtype) {
        Random random = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int page = 1 + random.nextInt(20);
            QuestLayerCache cache = (QuestLayerCache) KvTesting.cache("quest:page=" + page + ",budget=4096,dtype=" + dtype, 3, MODEL,
                    new BlockPool(1L << 30, 1 + random.nextInt(17)));
            int tokens = 50 + random.nextInt(200);
            Stream s = Stream.random(tokens, trial);
            for (int i = 0; i < s.keys.length; i++) {
                s.keys[i] = s.keys[i] * (1 + i % 7) + (i % 3) - 1;
            }
            int at = 0;
            while (at < tokens) {
                int n = Math.min(tokens - at, 1 + random.nextInt(40));
                s.feed(cache, at, n);
                at += n;
                if (random.nextInt(4) == 0) {
                    at -= random.nextInt(Math.min(at, 30) + 1);
                    cache.truncate(at);
                }
            }
            float[] stored = new float[HEAD_DIM];
            for (int probe = 0; probe < 20; probe++) {
                float[] q = KvTesting.gaussian(random, HEAD_DIM);
                for (int h = 0; h < KV_HEADS; h++) {
                    for (int p = 0; p * page < tokens; p++) {
                        float bound = cache.pageBound(h, p, q, 0);
                        for (int t = p * page; t < Math.min(tokens, (p + 1) * page); t++) {
                            double dot = 0;
                            for (int c = 0; c < HEAD_DIM; c++) {
                                float k = s.keys[t * KV_DIM + h * HEAD_DIM + c];
                                stored[c] = dtype.equals("f16") ? Float.float16ToFloat(Float.floatToFloat16(k)) : k;
                                dot += (double) q[c] * stored[c];
                            }
                            assertTrue(bound >= dot - 1e-4, "page " + p + " token " + t + ": bound " + bound + " < q.k " + dot);
                        }
                    }
                }
            }
            cache.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"head, 3", "group, 3", "head, 1", "group, 0"})
    void budgetCoveringTheContextOrDenseLayerIsFullAttention(String select, int layer) {
        int tokens = 300;
        Stream s = Stream.random(tokens, 5);
        BlockPool pool = new BlockPool(1L << 30, 16);
        // Layers 0-1 are dense whatever the budget; layer 3 has a budget of the whole context.
        String budget = layer >= 2 ? "budget=304" : "budget=48";
        LayerKvCache quest = KvTesting.cache("quest:page=16," + budget + ",select=" + select, layer, MODEL, pool);
        LayerKvCache full = KvTesting.cache("full", layer, MODEL, pool);
        s.feed(quest, 0, 200);
        s.feed(full, 0, 200);
        for (int p = 200; p < tokens; p++) {
            float[] expected = s.feed(full, p, 1);
            float[] out = s.feed(quest, p, 1);
            for (int i = 0; i < Q_DIM; i++) {
                assertEquals(expected[i], out[i], 1e-6, "position " + p);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"head, 0, 8", "group, 0, 8", "head, 9, 20", "group, 8, 24"})
    void decodeAttendsTheSinkAndRecentPagesAndTheTopPagesByBound(String select, int sinks, int recent) {
        int page = 8;
        int budgetPages = 6;
        int sinkPages = (sinks + page - 1) / page;
        int recentPages = (recent + page - 1) / page;
        int tokens = 260;
        Stream s = Stream.random(tokens, 7);
        LayerKvCache cache = KvTesting.cache("quest:page=" + page + ",budget=" + (budgetPages * page + 3) + ",sinks=" + sinks
                + ",recent=" + recent + ",select=" + select, 2, MODEL, new BlockPool(1L << 30, 16));
        s.feed(cache, 0, 150);
        for (int p = 150; p < tokens; p++) {
            float[] out = s.feed(cache, p, 1);
            float[] q = s.slice(s.queries, p, 1, Q_DIM);
            int pages = p / page + 1;
            for (int kv = 0; kv < KV_HEADS; kv++) {
                // Reference bounds in double from the raw keys, summed over the group for select=group.
                double[][] bounds = new double[GROUP][pages - 1];
                for (int j = 0; j < GROUP; j++) {
                    for (int pg = 0; pg < pages - 1; pg++) {
                        for (int c = 0; c < HEAD_DIM; c++) {
                            double min = Double.POSITIVE_INFINITY;
                            double max = Double.NEGATIVE_INFINITY;
                            for (int t = pg * page; t < (pg + 1) * page; t++) {
                                min = Math.min(min, s.keys[t * KV_DIM + kv * HEAD_DIM + c]);
                                max = Math.max(max, s.keys[t * KV_DIM + kv * HEAD_DIM + c]);
                            }
                            double qc = q[(kv * GROUP + j) * HEAD_DIM + c];
                            bounds[j][pg] = bounds[j][pg] + Math.max(qc * min, qc * max);
                        }
                    }
                }
                for (int j = 0; j < GROUP; j++) {
                    double[] score = bounds[j];
                    if (select.equals("group")) {
                        score = new double[pages - 1];
                        for (double[] b : bounds) {
                            for (int pg = 0; pg < pages - 1; pg++) {
                                score[pg] += b[pg];
                            }
                        }
                    }
                    // Only the pages between the sinks and the recent pages compete.
                    double[] middle = Arrays.copyOfRange(score, sinkPages, pages - recentPages);
                    List<Integer> chosen = new ArrayList<>();
                    for (int i : top(middle, budgetPages - sinkPages - recentPages)) {
                        chosen.add(sinkPages + i);
                    }
                    for (int pg = 0; pg < pages; pg++) {
                        if (pg < sinkPages || pg >= pages - recentPages) {
                            chosen.add(pg);
                        }
                    }
                    int head = kv * GROUP + j;
                    double[] expected = KvTesting.attend(s.keys, s.values, q, 0, head, HEADS, KV_HEADS, HEAD_DIM, p + 1,
                            t -> chosen.contains(t / page));
                    for (int i = 0; i < HEAD_DIM; i++) {
                        assertEquals(expected[i], out[head * HEAD_DIM + i], 2e-5, select + " position " + p + " head " + head);
                    }
                }
            }
        }
    }

    private static List<Integer> top(double[] score, int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < score.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(score[b], score[a]));
        return new ArrayList<>(order.subList(0, k));
    }

    @Test
    void truncateIsExactEvenInsideAPage() throws IOException {
        int tokens = 200;
        Stream s = Stream.random(tokens, 9);
        Stream other = Stream.random(tokens, 10);
        String spec = "quest:page=16,budget=48";
        LayerKvCache cache = KvTesting.cache(spec, 2, MODEL, new BlockPool(1L << 30, 16));
        s.feed(cache, 0, 120);
        for (int p = 120; p < 150; p++) {
            s.feed(cache, p, 1);
        }
        LayerKvCache fork = cache.fork();
        cache.truncate(77);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        cache.save(new DataOutputStream(saved));
        LayerKvCache fresh = KvTesting.cache(spec, 2, MODEL, new BlockPool(1L << 30, 16));
        s.feed(fresh, 0, 77);
        LayerKvCache loaded = KvTesting.cache(spec, 2, MODEL, new BlockPool(1L << 30, 16));
        loaded.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
        for (int p = 77; p < 140; p++) {
            float[] k = other.slice(other.keys, p, 1, KV_DIM);
            float[] v = other.slice(other.values, p, 1, KV_DIM);
            float[] q = other.slice(other.queries, p, 1, Q_DIM);
            float[] a = new float[Q_DIM];
            float[] b = new float[Q_DIM];
            float[] c = new float[Q_DIM];
            cache.append(p, k, v, 1);
            cache.attend(p, q, 1, a);
            fresh.append(p, k, v, 1);
            fresh.attend(p, q, 1, b);
            loaded.append(p, k, v, 1);
            loaded.attend(p, q, 1, c);
            assertArrayEquals(b, a, "truncated vs built fresh, position " + p);
            assertArrayEquals(b, c, "loaded vs built fresh, position " + p);
        }
        assertEquals(150, fork.length(), "the fork kept its own history");
        float[] forkOut = s.feed(fork, 150, 1);
        LayerKvCache reference = KvTesting.cache(spec, 2, MODEL, new BlockPool(1L << 30, 16));
        s.feed(reference, 0, 120);
        float[] expected = null;
        for (int p = 120; p <= 150; p++) {
            expected = s.feed(reference, p, 1);
        }
        assertArrayEquals(expected, forkOut);
    }

    @Test
    void decodeReadsThePageBoundsAndTheSelectedPagesOnly() {
        int tokens = 1000;
        Stream s = Stream.random(tokens, 12);
        LayerKvCache cache = KvTesting.cache("quest:page=16,budget=128,select=group", 2, MODEL, new BlockPool(1L << 30, 32));
        s.feed(cache, 0, tokens - 1);
        long before = cache.bytesRead();
        s.feed(cache, tokens - 1, 1);
        int pages = (tokens + 15) / 16;
        // The bounds of every page but the sink page and the last page, which are read whatever they score.
        long bounds = (pages - 2L) * KV_HEADS * 2 * HEAD_DIM * Float.BYTES;
        // The sink page and 6 chosen pages of 16 tokens plus the last page (8 tokens), keys and values in f32.
        long selected = KV_HEADS * (7 * 16 + 8) * 2L * HEAD_DIM * Float.BYTES;
        assertEquals(bounds + selected, cache.bytesRead() - before);
        // Whole blocks of 32 slots: 32 blocks of tokens, 2 blocks of page bounds (a min row and a max row per page).
        assertEquals((32 * 32 + 2 * 32) * KV_DIM * 2L * Float.BYTES, cache.memory().hot());
    }
}
