package io.longkv.kv.full;

import io.longkv.kv.KvMethod;
import io.longkv.kv.KvParam;
import io.longkv.kv.KvParams;
import io.longkv.kv.KvSpecException;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.KvDtype;
import io.longkv.model.ModelConfig;
import java.util.List;

/** {@code full}: every token's keys and values kept in paged blocks, in f32, f16 or q8_0. */
public final class FullMethod implements KvMethod {
    private static final List<KvParam> PARAMS = List.of(
            KvParam.choice("dtype", "f32", KvDtype.specs(), "element type of keys and values (q8_0: int8 per 32 with an f16 scale)"));

    @Override
    public String name() {
        return "full";
    }

    @Override
    public String description() {
        return "the whole context in paged blocks; exact attention (the reference for every other method)";
    }

    @Override
    public List<KvParam> params() {
        return PARAMS;
    }

    @Override
    public void check(ModelConfig model, KvParams params) {
        if (KvDtype.fromSpec(params.getString("dtype")) == KvDtype.Q8_0 && model.headDim() % 32 != 0) {
            throw new KvSpecException("full:dtype=q8_0 needs head_dim divisible by 32; this model's is " + model.headDim());
        }
    }

    @Override
    public LayerKvCache create(LayerContext context, KvParams params) {
        return new FullLayerCache(context, KvDtype.fromSpec(params.getString("dtype")));
    }
}
