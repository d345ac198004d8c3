package io.longkv.kv.tailor;

import io.longkv.kv.LayerContext;
import java.nio.file.Path;

/**
 * The parameters of the offloaded layers.
 *
 * @param budget tokens attended per step and KV head out of the prompt: sinks + recent + dynamic (selected)
 * @param coldDir the cold tier's directory, or {@code auto} for the engine's
 * @param chunkTokens prompt tokens per cold-tier chunk
 */
record TailorSettings(int budget, int sinks, int recent, int channels, String coldDir, int chunkTokens) {
    static final String AUTO = "auto";

    /** Prompt tokens selected per step and KV head. */
    int dynamic() {
        return budget - sinks - recent;
    }

    /** Whether the cold tier lives in the engine's own directory (which may go once empty) rather than one the user gave. */
    boolean automaticDirectory() {
        return coldDir.equals(AUTO);
    }

    Path coldDirectory(LayerContext context) {
        return coldDir.equals(AUTO) ? context.coldDirectory() : Path.of(coldDir);
    }
}
