package io.longkv.bench.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.block.KvDtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttentionBenchmarkTest {
    private static AttentionBenchmark bench(String kv, int depth) throws Exception {
        AttentionBenchmark bench = new AttentionBenchmark();
        bench.kv = kv;
        bench.depth = depth;
        bench.threads = 1;
        bench.setup();
        return bench;
    }

    @Test
    void aStepReadsEveryLayersCacheAtTheDepthPlusTheNewToken() throws Exception {
        AttentionBenchmark bench = bench("full:dtype=f16", 100);
        try {
            AttentionBenchmark.Traffic traffic = new AttentionBenchmark.Traffic();
            float[] out = bench.decodeStep(traffic);
            long expected = AttentionBenchmark.LAYERS * 101L * AttentionBenchmark.KV_HEADS
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
            long full = AttentionBenchmark.LAYERS * 301L * AttentionBenchmark.KV_HEADS
                    * KvDtype.F16.tokenHeadBytes(AttentionBenchmark.HEAD_DIM);
            assertTrue(traffic.bytes > 0 && traffic.bytes < full, kv + " read " + traffic.bytes + " bytes, full f16 " + full);
        } finally {
            bench.tearDown();
        }
    }
}
