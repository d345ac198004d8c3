package io.longkv.kv.tailor;

import io.longkv.kv.KvMethod;
import io.longkv.kv.KvParam;
import io.longkv.kv.KvParams;
import io.longkv.kv.KvSpec;
import io.longkv.kv.KvSpecException;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.kivi.KiviMethod;
import io.longkv.model.Model;
import io.longkv.model.ModelConfig;
import io.longkv.model.ModelIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code tailor}: TailorKV's hybrid (see the package notes). The registry's instance is unbound; the engine
 * {@link #prepare prepares} it for its model, which loads the layer profile next to the model file or makes it
 * on first use.
 */
public final class TailorMethod implements KvMethod {
    /** Prompt tokens per cold-tier chunk. */
    static final int CHUNK_TOKENS = 256;
    private static final KvMethod KIVI = new KiviMethod();
    private static final List<KvParam> PARAMS = List.of(
            KvParam.choice("quant-bits", "2", List.of("1", "2"), "KIVI bits of the quantization-friendly layers (1 costs +14% perplexity on SmolLM2-135M)"),
            KvParam.integer("group", 64, 8, 4096, "KIVI group of the quantization-friendly layers"),
            KvParam.integer("residual", 128, 8, 1 << 20, "KIVI full-precision window of the quantization-friendly layers"),
            KvParam.integer("budget", 192, 2, 1 << 20, "prompt tokens attended per step and KV head in offloaded layers: sinks + recent + selected"),
            KvParam.integer("sinks", 8, 0, 1 << 20, "first prompt tokens kept hot"),
            KvParam.integer("recent", 56, 0, 1 << 20, "last prompt tokens kept hot (generated tokens are all kept hot too)"),
            KvParam.integer("channels", 8, 1, 1024, "key channels per KV head the approximate scores use"),
            KvParam.text("cold-dir", TailorSettings.AUTO, "directory of the cold-tier files (auto: ~/.cache/longkv/kv-cold)"),
            KvParam.text("profile", TailorSettings.AUTO,
                    "layer profile JSON (auto: <model>.tailor-profile.json next to the model, made on first use)"));

    private final TailorProfile profile;

    /** The unbound instance for the registry. */
    public TailorMethod() {
        this(null);
    }

    /** An instance using {@code profile} for the layer classes. */
    public TailorMethod(TailorProfile profile) {
        this.profile = profile;
    }

    @Override
    public String name() {
        return "tailor";
    }

    @Override
    public String description() {
        return "TailorKV: per-layer profile; dense layers KIVI-quantized, sparse layers offloaded to disk with top-k recall";
    }

    @Override
    public List<KvParam> params() {
        return PARAMS;
    }

    @Override
    public void check(ModelConfig model, KvParams params) {
        int sinks = params.getInt("sinks");
        int recent = params.getInt("recent");
        if (params.getInt("budget") <= sinks + recent) {
            throw new KvSpecException("tailor: budget (" + params.getInt("budget") + ") must exceed sinks + recent (" + (sinks + recent)
                    + ") so some prompt tokens are selected");
        }
        if (params.getInt("channels") > model.headDim()) {
            throw new KvSpecException("tailor: channels " + params.getInt("channels") + " exceeds head_dim " + model.headDim());
        }
        KIVI.check(model, kiviParams(params));
    }

    @Override
    public KvMethod prepare(Model model, KvParams params) {
        String given = params.getString("profile");
        String identity = HexFormat.of().formatHex(ModelIdentity.of(model.gguf()));
        try {
            TailorProfile loaded;
            if (!given.equals(TailorSettings.AUTO)) {
                loaded = TailorProfile.read(Path.of(given));
                checkFits(loaded, model, identity, Path.of(given));
                return new TailorMethod(loaded);
            }
            Path file = TailorProfile.pathFor(model.gguf().path());
            if (Files.isRegularFile(file)) {
                loaded = TailorProfile.read(file);
                if (loaded.modelIdentity().equals(identity) && loaded.layers() == model.config().blockCount()) {
                    return new TailorMethod(loaded);
                }
                System.err.println("tailor: " + file + " was made for another model file; profiling again");
            }
            return new TailorMethod(makeProfile(model, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Profiles with the defaults and saves next to the model (a read-only directory only costs the reuse). */
    private static TailorProfile makeProfile(Model model, Path file) {
        System.err.println("tailor: profiling the layers of " + model.name() + " (first use; 'longkv profile' prints the table)");
        TailorProfile made = TailorProfiler.profile(model, TailorProfiler.tokens(model, TailorProfiler.defaultCalibrationText()),
                TailorProfiler.DEFAULT_CALIBRATION, TailorProfile.DEFAULT_ALPHA, TailorProfile.DEFAULT_BETA, TailorProfile.DEFAULT_LAST_Q);
        try {
            made.write(file);
            System.err.println("tailor: wrote " + file + " (quantization-friendly layers: " + made.quantizationLayers() + ")");
        } catch (IOException e) {
            System.err.println("tailor: cannot save the profile to " + file + " (" + e.getMessage() + "); using it for this run only");
        }
        return made;
    }

    private static void checkFits(TailorProfile p, Model model, String identity, Path file) {
        if (!p.modelIdentity().equals(identity) || p.layers() != model.config().blockCount()) {
            throw new KvSpecException("tailor: the profile " + file + " was made for " + p.modelFile() + " (" + p.layers()
                    + " layers), not the loaded " + model.gguf().path().getFileName() + "; run 'longkv profile' for it");
        }
    }

    @Override
    public LayerKvCache create(LayerContext context, KvParams params) {
        if (profile == null) {
            throw new KvSpecException("tailor needs the model's layer profile: build the cache through an Engine, which prepares it");
        }
        if (profile.layers() != context.layerCount()) {
            throw new KvSpecException("tailor: the profile has " + profile.layers() + " layers, the model " + context.layerCount());
        }
        if (profile.quantizationFriendly(context.layer())) {
            return KIVI.create(context, kiviParams(params));
        }
        return new OffloadedLayerCache(context, new TailorSettings(params.getInt("budget"), params.getInt("sinks"), params.getInt("recent"),
                params.getInt("channels"), params.getString("cold-dir"), CHUNK_TOKENS));
    }

    /** The profile this instance uses (null when unbound). */
    public TailorProfile profile() {
        return profile;
    }

    private static KvParams kiviParams(KvParams params) {
        return KvSpec.parse("kivi:bits=" + params.getString("quant-bits") + ",group=" + params.getInt("group") + ",residual="
                + params.getInt("residual")).rule(0).params();
    }
}
