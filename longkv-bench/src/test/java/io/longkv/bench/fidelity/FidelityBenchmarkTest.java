package io.longkv.bench.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fidelity pipeline end to end at small sizes: the full cache against itself, and a method that differs. */
@Tag("model")
class FidelityBenchmarkTest {
    @Test
    void fullMatchesItselfAndAnEvictingMethodIsMeasured() throws Exception {
        Path corpus = Path.of("../../shared/corpus");
        FidelityConfig config = new FidelityConfig(320, 64, List.of(384), 1, 1, 8, 64,
                Files.isDirectory(corpus) ? corpus : Path.of("/work/shared/corpus"));
        try (Model model = Model.load(TestModels.defaultModel())) {
            List<FidelityResult> results = new FidelityBenchmark(model, config)
                    .run(List.of(KvSpec.parse("full"), KvSpec.parse("streaming:sink=4,window=60")), m -> { });
            FidelityResult full = results.get(0);
            assertEquals("full:dtype=f32,flash=auto", full.kv());
            assertEquals(0, full.kl(), 1e-9);
            assertEquals(1.0, full.top1());
            assertEquals(0, full.perplexityDeltaPercent(), 1e-9);
            assertTrue(full.perplexity() > 2 && full.perplexity() < 200, "perplexity " + full.perplexity());
            FidelityResult streaming = results.get(1);
            assertTrue(streaming.kl() > 0 && streaming.top1() < 1, streaming.toString());
            assertTrue(streaming.kvBytes() < full.kvBytes(), streaming.kvBytes() + " vs " + full.kvBytes());
            assertEquals(List.of(384), List.copyOf(streaming.passkey().keySet()));

            // Without the reference among the specs it is still run, and reported first.
            List<FidelityResult> alone = new FidelityBenchmark(model, config)
                    .run(List.of(KvSpec.parse("streaming:sink=4,window=60")), m -> { });
            assertEquals(List.of("full:dtype=f32,flash=auto", streaming.kv()), alone.stream().map(FidelityResult::kv).toList());
            assertEquals(full.perplexity(), alone.get(0).perplexity(), 1e-12);
            assertEquals(full.passkey(), alone.get(0).passkey());
        }
    }
}
