package io.longkv.kv;

import io.longkv.kv.block.BlockPool;
import io.longkv.model.ModelConfig;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Path;

/** The per-layer caches of one sequence, built from a {@link KvSpec}; whole-sequence operations apply to every layer. */
public final class KvCache implements AutoCloseable {
    private final KvSpec spec;
    private final LayerKvCache[] layers;
    private long attentionNanos;

    /**
     * @param ropeInverseFrequencies the forward pass's RoPE frequencies (see {@link LayerContext})
     * @param coldDirectory where methods with a disk tier keep their files
     */
    public KvCache(KvSpec spec, ModelConfig model, float[] ropeInverseFrequencies, BlockPool blocks, Path coldDirectory) {
        spec.check(model);
        this.spec = spec;
        this.layers = new LayerKvCache[model.blockCount()];
        try {
            for (int l = 0; l < layers.length; l++) {
                KvSpec.Rule rule = spec.rule(l);
                layers[l] = rule.method().create(new LayerContext(l, model, ropeInverseFrequencies, blocks, coldDirectory), rule.params());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private KvCache(KvSpec spec, LayerKvCache[] layers) {
        this.spec = spec;
        this.layers = layers;
    }

    /** Wraps ready-made layer caches (tests and tools that build layers directly); {@code spec} labels them. */
    public static KvCache of(KvSpec spec, LayerKvCache... layers) {
        return new KvCache(spec, layers.clone());
    }

    public KvSpec spec() {
        return spec;
    }

    public LayerKvCache layer(int index) {
        return layers[index];
    }

    public int layerCount() {
        return layers.length;
    }

    /** Positions covered (every layer covers the same). */
    public int length() {
        return layers[0].length();
    }

    public boolean canTruncate(int length) {
        for (LayerKvCache layer : layers) {
            if (!layer.canTruncate(length)) {
                return false;
            }
        }
        return true;
    }

    /** Truncates every layer, or none when one of them cannot restore that length. */
    public void truncate(int length) {
        if (!canTruncate(length)) {
            throw new IllegalStateException("the KV cache (" + spec + ") cannot be truncated from " + length() + " to "
                    + length + " positions: the method dropped or merged what that length needs");
        }
        for (LayerKvCache layer : layers) {
            layer.truncate(length);
        }
    }

    /** Tells every layer the prompt of a turn is in. */
    public void endPrefill() {
        for (LayerKvCache layer : layers) {
            layer.endPrefill();
        }
    }

    /** An independent copy sharing storage copy-on-write. */
    public KvCache fork() {
        LayerKvCache[] copies = new LayerKvCache[layers.length];
        try {
            for (int l = 0; l < layers.length; l++) {
                copies[l] = layers[l].fork();
            }
        } catch (RuntimeException e) {
            new KvCache(spec, copies).close();
            throw e;
        }
        return new KvCache(spec, copies);
    }

    /** Bytes held by all layers, per tier; blocks shared with forks count in each holder. */
    public KvMemory memory() {
        KvMemory total = KvMemory.NONE;
        for (LayerKvCache layer : layers) {
            total = total.plus(layer.memory());
        }
        return total;
    }

    /** KV bytes read by attention over all layers since creation. */
    public long bytesRead() {
        long total = 0;
        for (LayerKvCache layer : layers) {
            total += layer.bytesRead();
        }
        return total;
    }

    /** Cold-tier traffic over all layers since creation. */
    public ColdReads coldReads() {
        ColdReads total = ColdReads.NONE;
        for (LayerKvCache layer : layers) {
            total = total.plus(layer.coldReads());
        }
        return total;
    }

    /** Adds the wall time of one layer's attend (the forward pass times it, for the bandwidth figures). */
    public void recordAttention(long nanos) {
        attentionNanos += nanos;
    }

    /** Wall time spent in attention over all layers since creation. */
    public long attentionNanos() {
        return attentionNanos;
    }

    public void save(DataOutput out) throws IOException {
        for (LayerKvCache layer : layers) {
            layer.save(out);
        }
    }

    /** Loads every layer of this empty cache; on failure close it, it holds part of the data. */
    public void load(DataInput in) throws IOException {
        for (LayerKvCache layer : layers) {
            layer.load(in);
        }
    }

    @Override
    public void close() {
        for (LayerKvCache layer : layers) {
            if (layer != null) {
                layer.close();
            }
        }
    }
}
