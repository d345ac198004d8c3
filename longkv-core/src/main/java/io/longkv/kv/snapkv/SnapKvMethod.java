package io.longkv.kv.snapkv;

import io.longkv.kv.KvMethod;
import io.longkv.kv.KvParam;
import io.longkv.kv.KvParams;
import io.longkv.kv.KvSpecException;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.model.ModelConfig;
import java.util.List;

/** {@code snapkv}: SnapKV, one-shot selection at the end of each prompt by what its last queries attend to. */
public final class SnapKvMethod implements KvMethod {
    private static final List<KvParam> PARAMS = List.of(
            KvParam.integer("budget", 1024, 2, Integer.MAX_VALUE, "tokens kept per KV head after a prompt (window included)"),
            KvParam.integer("window", 32, 1, Integer.MAX_VALUE, "observation window: the last prompt queries, whose tokens are always kept"),
            KvParam.integer("kernel", 7, 1, 255, "odd width of the 1-D pooling of the scores"),
            KvParam.choice("pool", "max", List.of("max", "avg"), "pooling of the scores"));

    @Override
    public String name() {
        return "snapkv";
    }

    @Override
    public String description() {
        return "SnapKV: at each prompt end keep the tokens the last queries attend to most (pooled, per KV head) + the window";
    }

    @Override
    public List<KvParam> params() {
        return PARAMS;
    }

    @Override
    public void check(ModelConfig model, KvParams params) {
        if (params.getInt("window") >= params.getInt("budget")) {
            throw new KvSpecException("snapkv needs window < budget (the window is part of the budget), got window="
                    + params.getInt("window") + ", budget=" + params.getInt("budget"));
        }
        if (params.getInt("kernel") % 2 == 0) {
            throw new KvSpecException("snapkv kernel must be odd (pooling is centred on each token), got " + params.getInt("kernel"));
        }
    }

    @Override
    public boolean keepsByPromptAttention() {
        return true;
    }

    @Override
    public LayerKvCache create(LayerContext context, KvParams params) {
        return new SnapKvCache(context, params.getInt("budget"), params.getInt("window"), params.getInt("kernel"),
                params.getString("pool").equals("max"));
    }
}
