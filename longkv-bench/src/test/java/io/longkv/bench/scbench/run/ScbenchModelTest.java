package io.longkv.bench.scbench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.gen.CorpusText;
import io.longkv.bench.scbench.gen.Generators;
import io.longkv.bench.scbench.gen.TokenSizer;
import io.longkv.bench.scbench.report.Reports;
import io.longkv.bench.scbench.report.Summary;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.testing.TestCorpus;
import io.longkv.testing.TestModels;
import io.longkv.tokenizer.ChatTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny shared-context run on the real model: generated passkey sessions in both modes, scored and reported. */
@Tag("model")
class ScbenchModelTest {
    @TempDir
    Path dir;

    @Test
    void passkeySessionsRunInBothModes() throws Exception {
        try (Model model = Model.load(TestModels.defaultModel())) {
            Generators generators = new Generators(CorpusText.load(TestCorpus.directory()), 2);
            TokenSizer sizer = new TokenSizer(model.tokenizer(), 16);
            TaskSessions passkey = new TaskSessions(ScTask.PASSKEY, generators.sessions(ScTask.PASSKEY, sizer, 1, 1, 512));
            ScbenchConfig config = new ScbenchConfig(List.of(KvSpec.parse("full")), List.of(passkey), List.of(Mode.values()),
                    model.config().contextLength(), 128, 16, 0);
            ResultLog log = new ResultLog(dir.resolve("results.jsonl"));
            new ScbenchBenchmark(model, ChatTemplate.fromGguf(model.gguf().metadata()), config).run(log, new ScbenchBenchmark.Listener() {
                @Override
                public void methodStarted(KvSpec spec, int units) {
                }

                @Override
                public void unitDone(String description, boolean skipped) {
                }
            });
            List<TurnRecord> records = log.read();
            assertEquals(4, records.size());
            TurnRecord secondTurn = records.stream().filter(r -> r.mode().equals("multi-turn") && r.turn() == 2).findFirst().orElseThrow();
            assertTrue(secondTurn.reusedTokens() > secondTurn.contextTokens(), "turn 2 continues the session");
            assertTrue(records.stream().allMatch(r -> r.goldLogProb() < 0 && r.generatedTokens() > 0 && r.ttftSeconds() > 0));
            Summary summary = Reports.write(log, dir, null);
            // The 135M model finds pass keys in 512 tokens (the README's runs); a broken protocol scores 0.
            assertTrue(summary.of("full:dtype=f32,flash=auto", "passkey", "multi-request").accuracy() >= 0.5, Files.readString(log.file()));
            assertTrue(Files.readString(dir.resolve("report.html")).contains("<svg"));
        }
    }
}
