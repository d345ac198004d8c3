package io.longkv.bench.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.block.KvDtype;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AttentionBenchmarkTest {
    private static AttentionBenchmark bench(String kv, int depth) throws Exception {
        return bench(kv, depth, 9, 3);
    }

    private static AttentionBenchmark bench(String kv, int depth, int heads, int kvHeads) throws Exception {
        AttentionBenchmark bench = new AttentionBenchmark();
        bench.kv = kv;
        bench.depth = depth;
        bench.threads = 1;
        bench.heads = heads;
        bench.kvHeads = kvHeads;
        bench.setup();
        return bench;
    }

    /** The default model's shape (group of 3), multi-head attention (group of 1) and a group of 2. */
    @ParameterizedTest
    @CsvSource({"9, 3", "4, 4", "8, 4"})
    void aStepReadsEveryLayersCacheAtTheDepthPlusTheNewToken(int heads, int kvHeads) throws Exception {
        AttentionBenchmark bench = bench("full:dtype=f16", 100, heads, kvHeads);
        try {
            AttentionBenchmark.Traffic traffic = new AttentionBenchmark.Traffic();
            float[] out = bench.decodeStep(traffic);
            assertEquals(heads * AttentionBenchmark.HEAD_DIM, out.length);
            long expected = AttentionBenchmark.LAYERS * 101L * kvHeads
                    * KvDtype.F16.tokenHeadBytes(AttentionBenchmark.HEAD_DIM);
            assertEquals(expected, traffic.bytes);
            bench.decodeStep(traffic);
            assertEquals(2 * expected, traffic.bytes, "the depth stays fixed from step to step");
            for (float x : out) {
                assertTrue(Float.isFinite(x));
            }
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kivi:bits=2", "quest:budget=64", "streaming:window=60"})
    void otherMethodsStepAndReadLessThanTheFullCache(String kv) throws Exception {
        AttentionBenchmark bench = bench(kv, 300);
        try {
            AttentionBenchmark.Traffic traffic = new AttentionBenchmark.Traffic();
            bench.decodeStep(traffic);
            long full = AttentionBenchmark.LAYERS * 301L * bench.kvHeads
                    * KvDtype.F16.tokenHeadBytes(AttentionBenchmark.HEAD_DIM);
            assertTrue(traffic.bytes > 0 && traffic.bytes < full, kv + " read " + traffic.bytes + " bytes, full f16 " + full);
        } finally {
            bench.tearDown();
        }
    }
}
