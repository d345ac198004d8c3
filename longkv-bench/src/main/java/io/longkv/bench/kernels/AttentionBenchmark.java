package io.longkv.bench.kernels;

import io.longkv.kv.KvSpec;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.ModelConfig;
import io.longkv.model.RopeType;
import io.longkv.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decode attention alone: one operation appends a token to every layer's cache of a KV spec, attends with
 * one query row, and drops the token again, so the depth stays fixed. The caches hold {@code depth} random
 * (gaussian) keys and values in 30 layers of head size 64, with the default model's 9 query heads and 3 KV
 * heads unless {@code heads} and {@code kvHeads} say otherwise (a GQA group of 1, 2, 4 ... takes other kernel
 * paths), far more than the last-level cache at long depths, as in real decode. Alongside the
 * time, the caches' own read counters give the KV bytes read per second ({@link Traffic}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AttentionBenchmark {
    static final int LAYERS = 30;
    static final int HEAD_DIM = 64;
    private static final int FILL_CHUNK = 256;

    @Param({"full:dtype=f16"})
    public String kv;
    @Param({"8192"})
    public int depth;
    @Param({"1"})
    public int threads;
    @Param({"9"})
    public int heads = 9;
    @Param({"3"})
    public int kvHeads = 3;

    private LayerKvCache[] caches;
    private float[] q;
    private float[] k;
    private float[] v;
    private float[] out;
    private Path coldDirectory;

    /** KV bytes the caches read, reported per second (JMH normalizes OPERATIONS counters by time). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Traffic {
        public long bytes;
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Parallel.setThreads(threads);
        ModelConfig model = new ModelConfig("llama", heads * HEAD_DIM, LAYERS, heads, kvHeads, HEAD_DIM, 1536,
                depth + 1, 49152, 1e-5f, 100000f, HEAD_DIM, RopeType.NORM, 1f);
        KvSpec spec = KvSpec.parse(kv);
        spec.check(model);
        float[] frequencies = new float[HEAD_DIM / 2];
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = (float) Math.pow(model.ropeTheta(), -2.0 * i / HEAD_DIM);
        }
        BlockPool pool = new BlockPool(Long.MAX_VALUE, BlockPool.DEFAULT_BLOCK_TOKENS);
        coldDirectory = Files.createTempDirectory("longkv-attention-bench");
        Random random = new Random(42);
        int kvDim = kvHeads * HEAD_DIM;
        float[] keys = new float[FILL_CHUNK * kvDim];
        float[] values = new float[FILL_CHUNK * kvDim];
        caches = new LayerKvCache[LAYERS];
        for (int layer = 0; layer < LAYERS; layer++) {
            KvSpec.Rule rule = spec.rule(layer);
            caches[layer] = rule.method().create(new LayerContext(layer, model, frequencies, pool, coldDirectory), rule.params());
            for (int position = 0; position < depth; position += FILL_CHUNK) {
                int tokens = Math.min(FILL_CHUNK, depth - position);
                gaussian(random, keys, tokens * kvDim);
                gaussian(random, values, tokens * kvDim);
                caches[layer].append(position, keys, values, tokens);
            }
            caches[layer].endPrefill();
        }
        q = gaussian(random, new float[heads * HEAD_DIM], heads * HEAD_DIM);
        k = gaussian(random, new float[kvDim], kvDim);
        v = gaussian(random, new float[kvDim], kvDim);
        out = new float[heads * HEAD_DIM];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (LayerKvCache cache : caches) {
            cache.close();
        }
        Files.deleteIfExists(coldDirectory);
    }

    @Benchmark
    public float[] decodeStep(Traffic traffic) {
        for (LayerKvCache cache : caches) {
            long before = cache.bytesRead();
            cache.append(depth, k, v, 1);
            cache.attend(depth, q, 1, out);
            cache.truncate(depth);
            traffic.bytes += cache.bytesRead() - before;
        }
        return out;
    }

    private static float[] gaussian(Random random, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
