package io.longkv.kv.evict;

import io.longkv.kv.KvSpec;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.ModelConfig;
import io.longkv.model.RopeType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-made layer caches for the eviction tests: small shapes, blocks of 4 tokens (so evictions cross
 * blocks), and a probe that reads which positions a cache keeps through the public interface.
 */
final class Caches {
    static final double THETA = 10000;

    private Caches() {
    }

    static LayerContext context(int heads, int kvHeads, int headDim, RopeType rope) {
        ModelConfig model = new ModelConfig("llama", heads * headDim, 1, heads, kvHeads, headDim, 64, 8192, 100, 1e-5f,
                (float) THETA, headDim, rope, 1f);
        float[] frequencies = new float[headDim / 2];
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = (float) Math.pow(THETA, -2.0 * i / headDim);
        }
        return new LayerContext(0, model, frequencies, new BlockPool(1L << 30, 32), Path.of("unused"));
    }

    static LayerKvCache create(String spec, LayerContext context) {
        KvSpec.Rule rule = KvSpec.parse(spec).rule(0);
        rule.method().check(context.model(), rule.params());
        return rule.method().create(context, rule.params());
    }

    /** One-hot values: position p's value is e_p in every KV head (needs headDim above every position). */
    static float[] oneHotValues(LayerContext c, int first, int tokens) {
        float[] v = new float[tokens * c.kvHeads() * c.headDim()];
        for (int i = 0; i < tokens; i++) {
            for (int h = 0; h < c.kvHeads(); h++) {
                v[(i * c.kvHeads() + h) * c.headDim() + first + i] = 1;
            }
        }
        return v;
    }

    /**
     * The positions KV head {@code kvHead} keeps: on a fork, a zero query attends uniformly over what is
     * kept plus a zero-valued probe token, so with one-hot values the output is nonzero exactly there.
     */
    static List<Integer> kept(LayerKvCache cache, LayerContext c, int kvHead) {
        try (LayerKvCache probe = cache.fork()) {
            float[] zeroRow = new float[c.kvHeads() * c.headDim()];
            probe.append(probe.length(), zeroRow, zeroRow, 1);
            float[] out = new float[c.heads() * c.headDim()];
            probe.attend(probe.length() - 1, new float[c.heads() * c.headDim()], 1, out);
            List<Integer> kept = new ArrayList<>();
            int head = kvHead * (c.heads() / c.kvHeads());
            for (int p = 0; p < c.headDim(); p++) {
                if (out[head * c.headDim() + p] > 1e-6) {
                    kept.add(p);
                }
            }
            return kept;
        }
    }

    /** Appends and attends {@code tokens} rows (a prompt chunk or, with 1, a decode step); returns the output. */
    static float[] step(LayerKvCache cache, LayerContext c, float[] keys, float[] values, float[] queries, int tokens) {
        int position = cache.length();
        cache.append(position, keys, values, tokens);
        float[] out = new float[tokens * c.heads() * c.headDim()];
        cache.attend(position, queries, tokens, out);
        return out;
    }

    /** Keys (or queries) of {@code tokens} rows of {@code heads} heads, each {@code scale[token] * e_dim}. */
    static float[] spikes(LayerContext c, int heads, int dim, float... scale) {
        float[] rows = new float[scale.length * heads * c.headDim()];
        for (int t = 0; t < scale.length; t++) {
            for (int h = 0; h < heads; h++) {
                rows[(t * heads + h) * c.headDim() + dim] = scale[t];
            }
        }
        return rows;
    }
}
