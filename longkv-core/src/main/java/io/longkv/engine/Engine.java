package io.longkv.engine;

import io.longkv.kv.KvCache;
import io.longkv.kv.KvSpec;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.Model;
import io.longkv.model.ModelIdentity;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What sessions of one model share: the KV spec, the block pool with its memory budget, and the prefix
 * cache. Thread-safe: sessions of one engine may run on different threads.
 */
public final class Engine {
    public static final String DEFAULT_KV = "full:dtype=f32";

    private final Model model;
    private final KvSpec spec;
    private final BlockPool blocks;
    private final float[] ropeFrequencies;
    private final Path coldDirectory;
    private final PrefixCache prefixCache;
    private byte[] modelIdentity;

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
        this.spec = spec.prepare(model);
        this.blocks = new BlockPool(memoryBudget, BlockPool.DEFAULT_BLOCK_TOKENS);
        this.ropeFrequencies = model.transformer().ropeInverseFrequencies();
        this.coldDirectory = defaultColdDirectory();
        this.prefixCache = new PrefixCache(blocks);
    }

    /**
     * Where methods with a cold tier keep their files: on local disk next to the models cache (not /tmp,
     * which may be memory), one directory per process.
     */
    public static Path defaultColdDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "longkv", "kv-cold", "pid-" + ProcessHandle.current().pid());
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

    /**
     * A session over a cache that already holds the keys and values of {@code history} (a tool that filled
     * {@link #newCache() caches} itself); the session owns the cache from now on.
     */
    public Session newSession(int contextLength, int chunkSize, KvCache cache, int[] history) {
        if (cache.length() != history.length) {
            throw new IllegalArgumentException("the cache holds " + cache.length() + " positions but the history has "
                    + history.length + " tokens");
        }
        if (history.length > contextLength) {
            throw new IllegalArgumentException("a history of " + history.length + " tokens exceeds the context of " + contextLength);
        }
        return new Session(this, contextLength, chunkSize, cache, Arrays.copyOf(history, Math.max(256, history.length)),
                history.length);
    }

    /** Prefix-cache counters and KV memory, for {@code /stats} and {@code --json}. */
    public EngineStats stats() {
        PrefixCache.Stats p = prefixCache.stats();
        return new EngineStats(p.hits(), p.misses(), p.reusedTokens(), p.entries(), p.evictions(), blocks.used(), blocks.budget());
    }

    /** Drops every prefix-cache entry (e.g. to measure a cold start). */
    public void clearPrefixCache() {
        prefixCache.clear();
    }

    /** A fork of the longest cached prefix of {@code tokens[0, limit)}, or null. */
    KvCache reusePrefix(int[] tokens, int limit) {
        return prefixCache.lookup(tokens, limit);
    }

    /** Offers a session's state after a prompt to the prefix cache. */
    void offerPrefix(int[] tokens, int length, KvCache cache) {
        prefixCache.insert(tokens, length, cache);
    }

    /** The model's fingerprint for saved sessions, computed on first use. */
    synchronized byte[] modelIdentity() {
        if (modelIdentity == null) {
            modelIdentity = ModelIdentity.of(model.gguf());
        }
        return modelIdentity;
    }

    /** An empty cache of this engine's spec, drawing on this engine's block pool. */
    public KvCache newCache() {
        return new KvCache(spec, model.config(), ropeFrequencies, blocks, coldDirectory);
    }
}
