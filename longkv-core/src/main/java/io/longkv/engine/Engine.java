package io.longkv.engine;

import io.longkv.kv.KvCache;
import io.longkv.kv.KvSpec;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.Model;
import java.nio.file.Path;

/**
 * What sessions of one model share: the KV spec, the block pool with its memory budget, and the prefix
 * cache. Thread-safe: sessions of one engine may run on different threads.
 */
public final class Engine {
    public static final String DEFAULT_KV = "full:dtype=f32";
    public static final int DEFAULT_BLOCK_TOKENS = 16;

    private final Model model;
    private final KvSpec spec;
    private final BlockPool blocks;
    private final float[] ropeFrequencies;
    private final Path coldDirectory;

    /**
     * @param memoryBudget bytes all KV caches of this engine may hold; at most the JVM's heap
     */
    public Engine(Model model, KvSpec spec, long memoryBudget) {
        spec.check(model.config());
        long heap = Runtime.getRuntime().maxMemory();
        if (memoryBudget > heap) {
            throw new IllegalArgumentException("--kv-memory " + BlockPool.format(memoryBudget) + " exceeds the JVM heap ("
                    + BlockPool.format(heap) + "); lower it or raise -Xmx (LONGKV_JAVA_OPTS)");
        }
        this.model = model;
        this.spec = spec;
        this.blocks = new BlockPool(memoryBudget, DEFAULT_BLOCK_TOKENS);
        this.ropeFrequencies = model.transformer().ropeInverseFrequencies();
        this.coldDirectory = Path.of(System.getProperty("java.io.tmpdir"), "longkv-kv-" + ProcessHandle.current().pid());
    }

    /** An engine with the default KV method and budget. */
    public Engine(Model model) {
        this(model, KvSpec.parse(DEFAULT_KV), defaultMemoryBudget());
    }

    /** Three quarters of the JVM heap: the rest holds activations, logits and the tokenizer. */
    public static long defaultMemoryBudget() {
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    public Model model() {
        return model;
    }

    public KvSpec spec() {
        return spec;
    }

    public BlockPool blocks() {
        return blocks;
    }

    public Session newSession(int contextLength, int chunkSize) {
        return new Session(this, contextLength, chunkSize);
    }

    /** An empty cache of this engine's spec. */
    KvCache newCache() {
        return new KvCache(spec, model.config(), ropeFrequencies, blocks, coldDirectory);
    }
}
