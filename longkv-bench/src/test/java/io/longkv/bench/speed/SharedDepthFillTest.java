package io.longkv.bench.speed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.KvSpec;
import io.longkv.kv.KvSpecException;
import io.longkv.model.Model;
import io.longkv.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One prefill filling several methods' caches gives each the cache, and so the decode, of its own prefill. */
class SharedDepthFillTest {
    private static final int CHUNK = 64;
    private static final List<String> SPECS = List.of("full:dtype=f16", "quest:page=16,budget=64,dense-layers=0");
    /** The fill attends as full f16 does, bit for bit; Quest's own dense prefill attends over f32 keys and values. */
    private static final float[] TOLERANCE = {0, 1e-3f};

    @TempDir
    Path dir;

    @Test
    void eachMethodDecodesAsAfterItsOwnPrefill() throws Exception {
        int[] depth = new Random(3).ints(200, 0, 256).toArray();
        int[] decoded = {5, 17, 99, 4};
        try (Model model = Model.load(TinyModels.write(TinyModels.LLAMA, dir.resolve("t.gguf"), 5))) {
            List<Engine> engines = SPECS.stream().map(s -> new Engine(model, KvSpec.parse(s), 1L << 28)).toList();
            List<Session> shared = SharedDepthFill.fill(model, engines, depth, 512, CHUNK, 1L << 28, null);
            for (int i = 0; i < engines.size(); i++) {
                try (Session own = engines.get(i).newSession(512, CHUNK); Session filled = shared.get(i)) {
                    own.append(depth);
                    assertEquals(own.length(), filled.length());
                    assertArrayEquals(own.tokens(), filled.tokens());
                    assertEquals(own.cache().memory(), filled.cache().memory(), SPECS.get(i));
                    for (int token : decoded) {
                        own.append(token);
                        filled.append(token);
                        assertArrayEquals(own.logits(), filled.logits(), TOLERANCE[i], SPECS.get(i) + ", after token " + token);
                    }
                }
            }
        }
    }

    @Test
    void methodsThatKeepByPromptAttentionAreRefused() {
        for (String spec : List.of("snapkv:budget=64,window=8", "h2o", "layers=0:full;1:snapkv")) {
            KvSpecException e = assertThrows(KvSpecException.class, () -> SharedDepthFill.check(KvSpec.parse(spec)));
            assertTrue(e.getMessage().contains("--shared-depth"), e.getMessage());
        }
        SharedDepthFill.check(KvSpec.parse("tailor"));
        SharedDepthFill.check(KvSpec.parse("kivi:bits=2"));
    }
}
