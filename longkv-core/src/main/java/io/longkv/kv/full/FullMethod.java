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
            KvParam.choice("dtype", "f32", KvDtype.specs(), "element type of keys and values (q8_0: int8 per 32 with an f16 scale)"),
            KvParam.choice("flash", "auto", List.of("auto", "on", "off"),
                    "on: online softmax over pages (flash attention); off: llama.cpp's f32 attention without flash"
                            + " attention, bit for bit (f32 only); auto: off for f32, on otherwise"));

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
        KvDtype dtype = KvDtype.fromSpec(params.getString("dtype"));
        if (dtype == KvDtype.Q8_0 && model.headDim() % 32 != 0) {
            throw new KvSpecException("full:dtype=q8_0 needs head_dim divisible by 32; this model's is " + model.headDim());
        }
        if (dtype != KvDtype.F32 && params.getString("flash").equals("off")) {
            throw new KvSpecException("full:flash=off (llama.cpp's exact order) needs dtype=f32, got dtype=" + dtype.spec());
        }
    }

    @Override
    public LayerKvCache create(LayerContext context, KvParams params) {
        KvDtype dtype = KvDtype.fromSpec(params.getString("dtype"));
        String flash = params.getString("flash");
        // llama.cpp's exact order reads f32 rows; the online kernels read tiles.
        boolean exact = flash.equals("off") || flash.equals("auto") && dtype == KvDtype.F32;
        return new FullLayerCache(context, exact ? KvDtype.F32_ROWS : dtype);
    }
}
