package io.longkv.cli;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.SessionFiles;
import io.longkv.bench.scbench.gen.CorpusText;
import io.longkv.bench.scbench.gen.Generators;
import io.longkv.bench.scbench.gen.LengthTooShortException;
import io.longkv.bench.scbench.gen.TokenSizer;
import io.longkv.bench.scbench.run.Preset;
import io.longkv.bench.scbench.run.TaskSessions;
import io.longkv.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Which sessions a shared-context run uses: generated ones (a preset's sizes unless overridden) or SCBench files. */
final class ScbenchDataOptions {
    @Option(names = "--preset", defaultValue = "default", description = "Sizes: quick (768 tokens, 1 session, 2 turns), "
            + "default (1k, 1 session, 5 turns) or full (2k, 2 sessions, 5 turns) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--tasks", paramLabel = "LIST", defaultValue = "all",
            description = "Tasks to generate, comma-separated short names (kv, prefix_suffix, vt, repoqa, qa_eng, choice_eng, mf, "
                    + "many_shot, summary_with_needles, repoqa_and_kv, passkey, niah) or all (default: ${DEFAULT-VALUE}).")
    String tasks;

    @Option(names = "--length", paramLabel = "N", description = "Tokens per generated session: 2k, 4k, 8k, 32k, 128k or a number "
            + "(default: the preset's).")
    String length;

    @Option(names = "--sessions", paramLabel = "N", description = "Sessions per task (default: the preset's; with --data all).")
    Integer sessions;

    @Option(names = "--turns", paramLabel = "N", description = "Turns per session, at most (default: the preset's; SCBench uses 5).")
    Integer turns;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated sessions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Books (*.txt) for haystacks and documents (default: data/corpus).")
    Path corpus;

    @Option(names = "--data", paramLabel = "FILE.jsonl", split = ",",
            description = "Run SCBench JSONL files (e.g. scbench_kv.jsonl) instead of generated sessions; the task is read from "
                    + "the file name unless --task is given.")
    List<Path> data;

    @Option(names = "--task", paramLabel = "NAME", description = "The task of every --data file (default: from its name).")
    String dataTask;

    Preset preset() {
        return Preset.byName(preset);
    }

    int length() {
        return length != null ? Preset.parseLength(length) : preset().length();
    }

    int turns() {
        int t = turns != null ? turns : preset().turns();
        if (t < 1) {
            throw new IllegalArgumentException("--turns must be at least 1");
        }
        return t;
    }

    List<ScTask> taskList() {
        if (tasks.equals("all")) {
            return Generators.generatedTasks();
        }
        return Arrays.stream(tasks.split(",")).map(String::strip).map(ScTask::byName).toList();
    }

    /** The sessions to run, by task; with --tasks all, a task too big for --length is skipped with a note. */
    List<TaskSessions> load(Tokenizer tokenizer, int maxNewTokensCap) throws IOException {
        List<TaskSessions> out = new ArrayList<>();
        if (data != null) {
            for (Path file : data) {
                ScTask task = ScTask.byName(dataTask != null ? dataTask : file.getFileName().toString().replaceFirst("\\.jsonl$", ""));
                List<ScSession> read = SessionFiles.read(file).stream().map(s -> s.limitTurns(turns())).toList();
                out.add(new TaskSessions(task, sessions != null ? read.subList(0, Math.min(sessions, read.size())) : read));
            }
            return out;
        }
        List<ScTask> tasks = taskList();
        Generators generators = new Generators(CorpusText.load(CorpusDirectory.resolve(corpus)), turns());
        TokenSizer sizer = new TokenSizer(tokenizer, maxNewTokensCap);
        int count = sessions != null ? sessions : preset().sessions();
        for (ScTask task : tasks) {
            try {
                out.add(new TaskSessions(task, generators.sessions(task, sizer, seed, count, length())));
            } catch (LengthTooShortException e) {
                if (!this.tasks.equals("all")) {
                    throw e;
                }
                System.err.println("scbench: skipping " + e.getMessage());
            }
        }
        return out;
    }
}
