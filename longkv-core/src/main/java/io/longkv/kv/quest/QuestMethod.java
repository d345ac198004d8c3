package io.longkv.kv.quest;

import io.longkv.kv.KvMethod;
import io.longkv.kv.KvParam;
import io.longkv.kv.KvParams;
import io.longkv.kv.KvSpecException;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.KvDtype;
import io.longkv.model.ModelConfig;
import java.util.List;

/** {@code quest}: query-aware page selection over the whole cache (see the package notes). */
public final class QuestMethod implements KvMethod {
    private static final List<KvParam> PARAMS = List.of(
            KvParam.integer("page", 16, 1, 4096, "tokens per page (each page keeps per-channel key min/max)"),
            KvParam.integer("budget", 1024, 1, Integer.MAX_VALUE, "tokens attended per decode step (budget / page pages, the sink and recent pages included)"),
            KvParam.integer("sinks", 16, 0, Integer.MAX_VALUE,
                    "first tokens always attended, in whole pages (attention sinks; 0 = the paper's selection)"),
            KvParam.integer("recent", 16, 1, Integer.MAX_VALUE, "last tokens always attended (whole pages, the current page included)"),
            KvParam.integer("dense-layers", 2, 0, Integer.MAX_VALUE, "the first layers (by index) attend densely"),
            KvParam.choice("select", "head", List.of("head", "group"),
                    "head: each query head picks its pages (faithful); group: one pick per KV head from the group's summed bounds"),
            KvParam.choice("dtype", "f32", KvDtype.specs(), "element type of the stored keys and values"));

    @Override
    public String name() {
        return "quest";
    }

    @Override
    public String description() {
        return "Quest: keeps every token, attends the sink and recent pages and the top pages by a per-page key bound within a token budget";
    }

    @Override
    public List<KvParam> params() {
        return PARAMS;
    }

    @Override
    public void check(ModelConfig model, KvParams params) {
        int page = params.getInt("page");
        int budget = params.getInt("budget");
        if (budget < page) {
            throw new KvSpecException("quest: budget (" + budget + " tokens) must hold at least one page of " + page + " tokens");
        }
        int fixed = pages(params.getInt("sinks"), page) + pages(params.getInt("recent"), page);
        if (fixed >= budget / page) {
            throw new KvSpecException("quest: sinks and recent take " + fixed + " pages of " + page + " tokens, leaving none of the"
                    + " budget's " + budget / page + " to select");
        }
        int group = model.headCount() / model.headCountKv();
        if (group > Integer.SIZE) {
            throw new KvSpecException("quest: at most 32 query heads per KV head are supported, this model has " + group);
        }
        if (KvDtype.fromSpec(params.getString("dtype")) == KvDtype.Q8_0 && model.headDim() % 32 != 0) {
            throw new KvSpecException("quest:dtype=q8_0 needs head_dim divisible by 32; this model's is " + model.headDim());
        }
    }

    @Override
    public LayerKvCache create(LayerContext context, KvParams params) {
        boolean dense = context.layer() < params.getInt("dense-layers");
        int page = params.getInt("page");
        QuestConfig config = new QuestConfig(page, params.getInt("budget") / page, pages(params.getInt("sinks"), page),
                pages(params.getInt("recent"), page), params.getString("select").equals("head"));
        return new QuestLayerCache(context, KvDtype.fromSpec(params.getString("dtype")), config, dense);
    }

    private static int pages(int tokens, int page) {
        return Math.ceilDiv(tokens, page);
    }
}
