package io.longkv.kv.tailor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.model.ModelIdentity;
import io.longkv.testing.SessionChecks;
import io.longkv.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TailorKV through the engine on a tiny model: the profile's life cycle, agreement with the full cache, rollback and forks. */
class TailorSessionTest {
    private static final String SMALL_HEADS = "tailor:quant-bits=2,group=8,residual=16";

    @TempDir
    Path dir;

    @Test
    void theProfileIsMadeOnFirstUseAndThenReused() throws Exception {
        Path file = TinyModels.write(TinyModels.LLAMA, dir.resolve("t.gguf"), 5);
        try (Model model = Model.load(file)) {
            Path profile = TailorProfile.pathFor(file);
            new Engine(model, KvSpec.parse(SMALL_HEADS + ",cold-dir=" + dir), 1L << 28);
            assertTrue(Files.isRegularFile(profile), "made on first use");
            TailorProfile made = TailorProfile.read(profile);
            assertEquals(model.config().blockCount(), made.layers());
            assertEquals(HexFormat.of().formatHex(ModelIdentity.of(model.gguf())), made.modelIdentity());

            TailorProfile edited = new TailorProfile(made.modelFile(), made.modelIdentity(), 0.05, 0.2, 32, "edited", 1,
                    new double[] {0.9, 0.0});
            edited.write(profile);
            Engine engine = new Engine(model, KvSpec.parse(SMALL_HEADS + ",cold-dir=" + dir), 1L << 28);
            TailorProfile used = ((TailorMethod) engine.spec().rule(0).method()).profile();
            assertEquals("edited", used.calibration(), "an existing profile is loaded, not remade");
        }
    }

    @Test
    void aBudgetCoveringTheContextDecodesAsFullF16() throws Exception {
        Random random = new Random(11);
        int[] prompt = SessionChecks.tokens(random, 300);
        int[] decoded = SessionChecks.tokens(random, 12);
        float[][] expected = run("full:dtype=f16", prompt, decoded);
        float[][] tailor = run(SMALL_HEADS + ",budget=400,sinks=4,recent=16,cold-dir=" + dir, prompt, decoded);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], tailor[i], 2e-3f, "logits after token " + i);
        }
    }

    @Test
    void rollingBackADecodedTurnAndForkingAreExact() throws Exception {
        String spec = SMALL_HEADS + ",budget=40,sinks=4,recent=12,channels=4,cold-dir=" + dir;
        try (Model model = Model.load(TinyModels.write(TinyModels.LLAMA, dir.resolve("t.gguf"), 9))) {
            AllSparseProfile.writeFor(model);
            Engine engine = new Engine(model, KvSpec.parse(spec), 1L << 28);
            SessionChecks.rollbackAndForkAreExact(engine, new Random(3), 300);
            engine.clearPrefixCache();
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.toString().endsWith(".cold")).count(),
                    "closed sessions and dropped prefix-cache entries leave no cold files");
        }
    }

    /** Logits after the prompt and after each decoded token. */
    private float[][] run(String spec, int[] prompt, int[] decoded) throws Exception {
        try (Model model = Model.load(TinyModels.write(TinyModels.LLAMA, dir.resolve("m.gguf"), 7))) {
            AllSparseProfile.writeFor(model);
            Engine engine = new Engine(model, KvSpec.parse(spec), 1L << 28);
            try (Session session = engine.newSession(512, 64)) {
                float[][] logits = new float[decoded.length + 1][];
                session.append(prompt);
                logits[0] = session.logits().clone();
                for (int i = 0; i < decoded.length; i++) {
                    session.append(decoded[i]);
                    logits[i + 1] = session.logits().clone();
                }
                return logits;
            }
        }
    }
}
