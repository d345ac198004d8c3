package io.longkv.kv.h2o;

import io.longkv.kv.KvMethod;
import io.longkv.kv.KvParam;
import io.longkv.kv.KvParams;
import io.longkv.kv.KvSpecException;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.model.ModelConfig;
import java.util.List;

/** {@code h2o}: Heavy-Hitter Oracle, recent tokens plus the tokens with the most cumulative attention. */
public final class H2oMethod implements KvMethod {
    private static final List<KvParam> PARAMS = List.of(
            KvParam.integer("heavy", 512, 0, Integer.MAX_VALUE, "tokens kept per KV head for their cumulative attention"),
            KvParam.integer("recent", 512, 0, Integer.MAX_VALUE, "most recent tokens kept"));

    @Override
    public String name() {
        return "h2o";
    }

    @Override
    public String description() {
        return "H2O: recent tokens + heavy hitters by cumulative attention per KV head, one eviction per decode step";
    }

    @Override
    public List<KvParam> params() {
        return PARAMS;
    }

    @Override
    public void check(ModelConfig model, KvParams params) {
        if ((long) params.getInt("heavy") + params.getInt("recent") < 1) {
            throw new KvSpecException("h2o needs heavy + recent >= 1 (the cache would keep nothing)");
        }
    }

    @Override
    public boolean keepsByPromptAttention() {
        return true;
    }

    @Override
    public LayerKvCache create(LayerContext context, KvParams params) {
        return new H2oCache(context, params.getInt("heavy"), params.getInt("recent"));
    }
}
