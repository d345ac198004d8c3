package io.longkv.kv.kivi;

import io.longkv.kv.KvMethod;
import io.longkv.kv.KvParam;
import io.longkv.kv.KvParams;
import io.longkv.kv.KvSpecException;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.model.ModelConfig;
import java.util.List;

/** {@code kivi}: 2/4-bit (and 1-bit) asymmetric KV quantization with full-precision residual windows (see the package notes). */
public final class KiviMethod implements KvMethod {
    private static final List<KvParam> PARAMS = List.of(
            KvParam.choice("bits", "2", List.of("1", "2", "4"), "bits per key and value code"),
            KvParam.integer("group", 32, 8, 4096, "tokens per key group (per channel), channels per value group (per token); a multiple of 8"),
            KvParam.integer("residual", 128, 8, 1 << 20, "full-precision window R, a multiple of group: keys flush R at a time, values keep the last R"),
            KvParam.integer("rollback", 1024, 0, 1 << 30,
                    "decoded tokens also kept at full precision so truncate can go back to the end of the prompt"));

    @Override
    public String name() {
        return "kivi";
    }

    @Override
    public String description() {
        return "KIVI: keys quantized per channel, values per token, asymmetric min/max, full-precision recent window";
    }

    @Override
    public List<KvParam> params() {
        return PARAMS;
    }

    @Override
    public void check(ModelConfig model, KvParams params) {
        int bits = bits(params);
        int group = params.getInt("group");
        int residual = params.getInt("residual");
        if (group % 8 != 0) {
            throw new KvSpecException("kivi: group must be a multiple of 8 (codes are unpacked 8 at a time), got " + group);
        }
        if (residual % group != 0) {
            throw new KvSpecException("kivi: residual must be a multiple of group (" + group + "), got " + residual);
        }
        if (model.headDim() % group != 0) {
            throw new KvSpecException("kivi: group " + group + " must divide head_dim " + model.headDim() + " (values are grouped along channels)");
        }
        if (model.headDim() * bits % Integer.SIZE != 0) {
            throw new KvSpecException("kivi: bits=" + bits + " needs head_dim * bits divisible by 32; this model's head_dim is " + model.headDim());
        }
    }

    @Override
    public LayerKvCache create(LayerContext context, KvParams params) {
        return new KiviLayerCache(context, bits(params), params.getInt("group"), params.getInt("residual"), params.getInt("rollback"));
    }

    private static int bits(KvParams params) {
        return Integer.parseInt(params.getString("bits"));
    }
}
