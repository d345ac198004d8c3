package io.longkv.cli;

import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.KvSpec;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.Model;
import io.longkv.tensor.Parallel;
import io.longkv.tensor.WeightMatrix;
import picocli.CommandLine.Option;

/** Options every inference command shares: context size, prefill chunk, threads, KV method and memory. */
final class RuntimeOptions {
    @Option(names = {"-c", "--ctx"}, paramLabel = "N", description = "Context length in tokens (default: the model's trained context).")
    Integer contextLength;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "256", description = "Prefill chunk size in tokens (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--kv", paramLabel = "SPEC", defaultValue = Engine.DEFAULT_KV,
            description = "KV cache method, e.g. full:dtype=f16 or layers=0-1:full;2-:full:dtype=q8_0 (default: ${DEFAULT-VALUE}; see 'longkv kv list').")
    String kv;

    @Option(names = "--kv-memory", paramLabel = "SIZE", description = "KV memory budget, e.g. 4GiB (default: 3/4 of the JVM heap).")
    String kvMemory;

    /** Precision of the activations fed to quantized decode products. */
    enum Activations { q8, f32 }

    @Option(names = "--activations", paramLabel = "q8|f32", defaultValue = "q8",
            description = "Activations of the quantized decode products: q8 rounds them to 8 bits as llama.cpp does (faster), f32 keeps floats (default: ${DEFAULT-VALUE}).")
    Activations activations;

    /** Applies the thread count and the activation precision; call before any model work. */
    void applyThreads() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        WeightMatrix.setInt8Activations(activations == Activations.q8);
    }

    Engine newEngine(Model model) {
        return new Engine(model, KvSpec.parse(kv), kvMemory != null ? BlockPool.parseBytes(kvMemory) : Engine.defaultMemoryBudget());
    }

    Session newSession(Model model) {
        return newEngine(model).newSession(contextLength != null ? contextLength : model.config().contextLength(), chunk);
    }
}
