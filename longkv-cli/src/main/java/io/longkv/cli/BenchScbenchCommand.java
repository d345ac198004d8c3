package io.longkv.cli;

import io.longkv.bench.scbench.report.MarkdownReport;
import io.longkv.bench.scbench.report.Reports;
import io.longkv.bench.scbench.report.Summary;
import io.longkv.bench.scbench.run.Mode;
import io.longkv.bench.scbench.run.ResultLog;
import io.longkv.bench.scbench.run.ScbenchBenchmark;
import io.longkv.bench.scbench.run.ScbenchConfig;
import io.longkv.bench.scbench.run.TaskSessions;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.tokenizer.ChatTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "scbench", mixinStandardHelpOptions = true, subcommands = ScbenchGenerateCommand.class,
        description = {"Shared-context benchmark (SCBench's protocol): sessions of a long context and several queries, run in",
                "multi-turn mode (one growing session, gold answers appended) and multi-request mode (the context prefilled",
                "once, each query on a fork). Results go to OUT/results.jsonl (an interrupted run resumes), summary.csv,",
                "summary.md and report.html."})
final class BenchScbenchCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Mixin
    ScbenchDataOptions dataOptions;

    @Option(names = "--kv", paramLabel = "SPEC;SPEC;...", defaultValue = "full",
            description = "KV specs separated by ';' (a per-layer rule like '2-:full' continues the spec before it) (default: ${DEFAULT-VALUE}).")
    String kv;

    @Option(names = "--mode", defaultValue = "both", description = "multi-turn, multi-request or both (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory of the results and reports (required).")
    Path out;

    @Spec
    CommandSpec commandSpec;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", description = "Context window per session (default: the larger of the model's "
            + "trained context and --length); longer first prompts are cut in the middle.")
    Integer contextLength;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Cap on SCBench's per-task decode limits (default: the preset's).")
    Integer maxNewTokens;

    @Option(names = "--trace", paramLabel = "N", arity = "0..1", fallbackValue = "200", defaultValue = "0",
            description = "Write the last N prompt tokens of every turn (as text) into results.jsonl as 'prompt_tail', next to "
                    + "'prediction' and 'gold' (N: ${FALLBACK-VALUE} when omitted; default: none).")
    int traceTokens;

    @Mixin
    BenchComputeOptions compute;

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            throw new IllegalArgumentException("missing --out DIR: where results.jsonl and the reports go");
        }
        compute.applyThreads();
        List<KvSpec> specs = BenchFidelityCommand.parseSpecs(kv);
        int cap = maxNewTokens != null ? maxNewTokens : dataOptions.preset().maxNewTokens();
        try (Model model = Model.load(modelOption.resolve())) {
            List<TaskSessions> tasks = dataOptions.load(model.tokenizer(), cap);
            int window = contextLength != null ? contextLength : Math.max(model.config().contextLength(), dataOptions.length());
            ScbenchConfig config = new ScbenchConfig(specs, tasks, Mode.parse(mode), window, compute.chunk, cap, traceTokens);
            ResultLog log = new ResultLog(out.resolve("results.jsonl"));
            long start = System.nanoTime();
            try (Progress progress = new Progress()) {
                new ScbenchBenchmark(model, ChatTemplate.fromGguf(model.gguf().metadata()), config).run(log, progress);
            }
            Summary summary = Reports.write(log, out, "longkv " + String.join(" ", commandSpec.commandLine().getParseResult().originalArgs()));
            System.out.print(MarkdownReport.accuracyTable(summary));
            System.out.printf("%d units in %.0f s; reports in %s%n", config.unitsPerMethod() * specs.size(),
                    (System.nanoTime() - start) / 1e9, out);
        }
        return 0;
    }

    /** A bar per method on a terminal; otherwise one line per finished unit. */
    private static final class Progress implements ScbenchBenchmark.Listener, AutoCloseable {
        private final boolean terminal = System.console() != null;
        private ProgressBar bar;
        private String method;
        private int done;
        private int units;

        @Override
        public void methodStarted(KvSpec spec, int units) {
            close();
            this.method = spec.toString();
            this.units = units;
            this.done = 0;
            if (terminal) {
                bar = new ProgressBarBuilder().setTaskName(method).setInitialMax(units).setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            }
        }

        @Override
        public void unitDone(String description, boolean skipped) {
            done++;
            if (bar != null) {
                bar.step();
                bar.setExtraMessage(description);
            } else {
                System.err.printf("scbench: %s %s%s (%d/%d)%n", method, description, skipped ? " (already done)" : "", done, units);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
