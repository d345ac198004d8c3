package io.longkv.kv.tailor;

import io.longkv.kv.KvCache;
import io.longkv.kv.KvSpec;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.ForwardBuffers;
import io.longkv.model.Model;
import io.longkv.model.ModelConfig;
import io.longkv.model.ModelIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Makes a {@link TailorProfile}: prefills a calibration prompt through full f32 caches wrapped in
 * {@link AttentionMassProbe}s and reads each layer's mass outside the top keys. The default prompt ships as a
 * resource: chapters 1-2 of Pride and Prejudice (from {@code data/corpus}; not the part {@code bench fidelity}
 * scores, which starts in Frankenstein) followed by a question on them, standing in for the paper's GSM8K prompt.
 */
public final class TailorProfiler {
    public static final String DEFAULT_CALIBRATION = "default";
    private static final String RESOURCE = "calibration.txt";
    private static final int CHUNK = 256;

    private TailorProfiler() {
    }

    /** The default calibration prompt's text. */
    public static String defaultCalibrationText() {
        try (InputStream in = TailorProfiler.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the calibration text " + RESOURCE + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Token ids of {@code text} with the model's BOS when it wants one. */
    public static int[] tokens(Model model, String text) {
        int[] ids = model.tokenizer().encode(text, false);
        boolean bos = model.tokenizer().addBos() && model.tokenizer().bos() >= 0;
        int[] out = new int[ids.length + (bos ? 1 : 0)];
        if (bos) {
            out[0] = model.tokenizer().bos();
        }
        System.arraycopy(ids, 0, out, bos ? 1 : 0, ids.length);
        return out;
    }

    /** Profiles {@code model} on {@code tokens} (labelled {@code calibration} in the profile). */
    public static TailorProfile profile(Model model, int[] tokens, String calibration, double alpha, double beta, int lastQ) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (lastQ < 1 || lastQ > tokens.length) {
            throw new IllegalArgumentException("last-q must be in [1, " + tokens.length + "] (the calibration tokens), got " + lastQ);
        }
        int topKeys = (int) (alpha * tokens.length);
        if (topKeys < 1) {
            throw new IllegalArgumentException("alpha " + alpha + " keeps no key of a " + tokens.length
                    + "-token calibration prompt; use a longer text or a larger alpha");
        }
        ModelConfig config = model.config();
        BlockPool pool = new BlockPool(Long.MAX_VALUE, BlockPool.DEFAULT_BLOCK_TOKENS);
        KvSpec full = KvSpec.parse("full:dtype=f32");
        AttentionMassProbe[] probes = new AttentionMassProbe[config.blockCount()];
        float[] rope = model.transformer().ropeInverseFrequencies();
        for (int l = 0; l < probes.length; l++) {
            LayerKvCache inner = full.rule(l).method().create(new LayerContext(l, config, rope, pool, null), full.rule(l).params());
            probes[l] = new AttentionMassProbe(inner, config.headCount(), config.headCountKv(), config.headDim(), tokens.length, lastQ,
                    topKeys);
        }
        double[] mass = new double[probes.length];
        try (KvCache cache = KvCache.of(full, probes)) {
            ForwardBuffers buffers = new ForwardBuffers(config, CHUNK);
            for (int done = 0; done < tokens.length; done += CHUNK) {
                model.transformer().forward(buffers, cache, tokens, done, Math.min(CHUNK, tokens.length - done), done, CHUNK, null);
            }
            for (int l = 0; l < probes.length; l++) {
                mass[l] = probes[l].outsideMass();
            }
        }
        return new TailorProfile(model.gguf().path().getFileName().toString(), HexFormat.of().formatHex(ModelIdentity.of(model.gguf())),
                alpha, beta, lastQ, calibration, tokens.length, mass);
    }
}
