package io.longkv.kv;

import java.util.function.IntFunction;

/** The per-layer caches of one sequence. */
public final class KvCache {
    private final LayerKvCache[] layers;

    public KvCache(int layerCount, IntFunction<LayerKvCache> factory) {
        layers = new LayerKvCache[layerCount];
        for (int i = 0; i < layerCount; i++) {
            layers[i] = factory.apply(i);
        }
    }

    public LayerKvCache layer(int index) {
        return layers[index];
    }

    public int layerCount() {
        return layers.length;
    }

    public int length() {
        return layers[0].length();
    }

    public void truncate(int length) {
        for (LayerKvCache layer : layers) {
            layer.truncate(length);
        }
    }

    public long bytes() {
        long total = 0;
        for (LayerKvCache layer : layers) {
            total += layer.bytes();
        }
        return total;
    }
}
