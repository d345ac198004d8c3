import io.longkv.engine.Engine;
import io.longkv.kv.KvCache;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.model.ModelConfig;
import io.longkv.tensor.Parallel;
import java.nio.file.Path;
import java.util.Random;

/**
 * A KV method at a depth no real prefill reaches on this machine in reasonable time: random post-RoPE keys and
 * values fill every layer's cache (no weights, no attention during the fill), then decode steps with random
 * queries time the caches' append + attend alone. Prints memory per tier and the cold tier's traffic.
 * Run: java --add-modules jdk.incubator.vector -cp longkv-cli/target/longkv.jar scripts/kv-depth/KvDepth.java SPEC DEPTH STEPS [MODEL]
 */
public class KvDepth {
    private static final int CHUNK = 256;

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: KvDepth SPEC DEPTH STEPS [MODEL]");
        }
        int depth = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        Path modelPath = args.length > 3 ? Path.of(args[3])
                : Path.of(System.getProperty("user.home"), ".cache/longkv/models/SmolLM2-135M-Instruct.Q4_1.gguf");
        Parallel.setThreads(1);
        try (Model model = Model.load(modelPath)) {
            ModelConfig c = model.config();
            Engine engine = new Engine(model, KvSpec.parse(args[0]), Engine.defaultMemoryBudget());
            Random random = new Random(1);
            float[] keys = gaussian(random, CHUNK * c.headCountKv() * c.headDim());
            float[] values = gaussian(random, keys.length);
            float[] out = new float[c.headCount() * c.headDim()];
            try (KvCache cache = new KvCache(engine.spec(), c, model.transformer().ropeInverseFrequencies(), engine.blocks(),
                    Engine.defaultColdDirectory())) {
                long start = System.nanoTime();
                for (int p = 0; p < depth; p += CHUNK) {
                    for (int l = 0; l < c.blockCount(); l++) {
                        cache.layer(l).append(p, keys, values, Math.min(CHUNK, depth - p));
                    }
                }
                cache.endPrefill();
                System.out.printf("%s at depth %d: filled in %.1f s; hot %.1f MiB, cold %.1f MiB%n", engine.spec(), depth,
                        (System.nanoTime() - start) / 1e9, cache.memory().hot() / 1048576.0, cache.memory().cold() / 1048576.0);
                long spent = 0;
                for (int s = 0; s < steps; s++) {
                    float[] query = gaussian(random, out.length);
                    long t = System.nanoTime();
                    for (int l = 0; l < c.blockCount(); l++) {
                        cache.layer(l).append(depth + s, keys, values, 1);
                        cache.layer(l).attend(depth + s, query, 1, out);
                    }
                    if (s > 0) {
                        spent += System.nanoTime() - t;
                    }
                }
                System.out.printf("  append + attend over all layers: %.1f ms per token (%d steps after one warm-up); hot %.1f MiB; %s%n",
                        spent / 1e6 / Math.max(1, steps - 1), steps - 1, cache.memory().hot() / 1048576.0, cache.coldReads());
            }
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
