package io.longkv.kv;

import io.longkv.kv.block.BlockPool;
import io.longkv.model.ModelConfig;
import java.nio.file.Path;

/**
 * What a method needs to build one layer's cache.
 *
 * @param layer this layer's index
 * @param model heads, KV heads, head size, layer count, RoPE settings
 * @param ropeInverseFrequencies RoPE's per-pair angular frequencies as the forward pass applies them
 *        (scaling and frequency factors included): key i of a head rotates by {@code position * f[i]};
 *        methods that move keys to other positions re-rotate with these
 * @param blocks the engine's block pool: every method allocates its storage there so the memory budget holds
 * @param coldDirectory where a method may keep a cold tier on disk (created on demand; files are the method's)
 */
public record LayerContext(int layer, ModelConfig model, float[] ropeInverseFrequencies, BlockPool blocks,
                           Path coldDirectory) {
    public int heads() {
        return model.headCount();
    }

    public int kvHeads() {
        return model.headCountKv();
    }

    public int headDim() {
        return model.headDim();
    }

    public int layerCount() {
        return model.blockCount();
    }
}
