package io.longkv.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.testing.TinyModels;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The eviction methods in multi-turn sessions on a tiny model: a rolled-back turn leaves no trace, forks are independent. */
class EvictingSessionTest {
    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"streaming:sink=4,window=40", "snapkv:budget=48,window=8,kernel=5", "h2o:heavy=24,recent=24",
            "layers=0:full;1-:h2o:heavy=16,recent=16"})
    void rollingBackADecodedTurnIsExact(String spec) throws Exception {
        Random random = new Random(3);
        int[] first = tokens(random, 120);
        int[] second = tokens(random, 30);
        try (Model model = Model.load(TinyModels.write(TinyModels.LLAMA, dir.resolve("t.gguf"), 9))) {
            Engine engine = new Engine(model, KvSpec.parse(spec), 1L << 28);
            try (Session a = engine.newSession(512, 32); Session b = engine.newSession(512, 32)) {
                a.append(first);
                Session.Checkpoint afterPrompt = a.checkpoint();
                Session fork = a.fork();
                for (int t : tokens(random, 20)) {
                    a.append(t);
                }
                a.rollback(afterPrompt);
                a.append(second);
                b.append(first);
                b.append(second);
                assertArrayEquals(b.logits(), a.logits(), 1e-5f, "rolled back then continued = never decoded");
                fork.append(second);
                assertArrayEquals(b.logits(), fork.logits(), 1e-5f, "the fork did not see the decoded turn");
                fork.close();
            }
        }
    }

    private static int[] tokens(Random random, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = random.nextInt(256);
        }
        return t;
    }
}
