package io.longkv.engine;

import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.testing.SessionChecks;
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
        try (Model model = Model.load(TinyModels.write(TinyModels.LLAMA, dir.resolve("t.gguf"), 9))) {
            SessionChecks.rollbackAndForkAreExact(new Engine(model, KvSpec.parse(spec), 1L << 28), new Random(3), 120);
        }
    }
}
