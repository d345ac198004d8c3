package io.longkv.bench.scbench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.bench.scbench.ScTask;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.testing.TinyModels;
import io.longkv.tokenizer.ChatTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run appends whole units and a second run over the same log only does what is missing. */
class ResumeTest {
    @TempDir
    Path dir;

    @Test
    void finishedUnitsAreSkippedAndATornLineIsDropped() throws Exception {
        try (Model model = Model.load(TinyModels.write(TinyModels.LLAMA, dir.resolve("tiny.gguf"), 2))) {
            ChatTemplate template = ChatTemplate.fromGguf(model.gguf().metadata());
            TaskSessions sessions = new TaskSessions(ScTask.KV, List.of(ProtocolTest.session("one?", "two?")));
            ResultLog log = new ResultLog(dir.resolve("out/results.jsonl"));
            List<String> events = new ArrayList<>();
            ScbenchBenchmark.Listener listener = new ScbenchBenchmark.Listener() {
                @Override
                public void methodStarted(KvSpec spec, int units) {
                    events.add("start " + spec + " " + units);
                }

                @Override
                public void unitDone(String description, boolean skipped) {
                    events.add((skipped ? "skip " : "ran ") + description);
                }
            };
            ScbenchConfig one = new ScbenchConfig(List.of(KvSpec.parse("full")), List.of(sessions), List.of(Mode.values()), 512, 32, 4, 0);
            new ScbenchBenchmark(model, template, one).run(log, listener);
            assertEquals(List.of("start full:dtype=f32,flash=auto 2", "ran kv s multi-request", "ran kv s multi-turn"), events);
            assertEquals(4, log.read().size());

            // A kill mid-write leaves half a line; the next run cuts it and appends only the new method's units.
            Files.writeString(log.file(), "{\"method\":\"half", java.nio.file.StandardOpenOption.APPEND);
            events.clear();
            ScbenchConfig two = new ScbenchConfig(List.of(KvSpec.parse("full"), KvSpec.parse("streaming:sink=4,window=60")),
                    List.of(sessions), List.of(Mode.values()), 512, 32, 4, 0);
            new ScbenchBenchmark(model, template, two).run(log, listener);
            assertEquals(List.of("start full:dtype=f32,flash=auto 2", "skip kv s multi-request", "skip kv s multi-turn",
                    "start streaming:sink=4,window=60,shift=true 2", "ran kv s multi-request", "ran kv s multi-turn"), events);
            List<TurnRecord> records = log.read();
            assertEquals(8, records.size());
            assertTrue(records.stream().allMatch(r -> r.score() >= 0 && r.score() <= 1));
            assertFalse(Files.readString(log.file()).contains("half"));
        }
    }
}
