package io.longkv.kv.streaming;

import io.longkv.kv.KvMethod;
import io.longkv.kv.KvParam;
import io.longkv.kv.KvParams;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import java.util.List;

/** {@code streaming}: StreamingLLM, attention sinks plus a sliding window of recent tokens. */
public final class StreamingMethod implements KvMethod {
    private static final List<KvParam> PARAMS = List.of(
            KvParam.integer("sink", 4, 0, Integer.MAX_VALUE, "first tokens always kept (attention sinks)"),
            KvParam.integer("window", 1020, 1, Integer.MAX_VALUE, "most recent tokens kept"),
            KvParam.choice("shift", "true", List.of("true", "false"),
                    "re-rotate the sinks so every distance is the one inside the cache (llama.cpp context shift)"));

    @Override
    public String name() {
        return "streaming";
    }

    @Override
    public String description() {
        return "StreamingLLM: attention sinks + sliding window, evicting the middle while decoding";
    }

    @Override
    public List<KvParam> params() {
        return PARAMS;
    }

    @Override
    public LayerKvCache create(LayerContext context, KvParams params) {
        return new StreamingCache(context, params.getInt("sink"), params.getInt("window"), params.getString("shift").equals("true"));
    }
}
