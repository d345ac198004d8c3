package io.longkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.longkv.bench.speed.SpeedBenchmark;
import io.longkv.bench.speed.SpeedResult;
import io.longkv.model.Model;
import io.longkv.tensor.Parallel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "speed", mixinStandardHelpOptions = true,
        description = {"Prompt (pp) and generation (tg) tokens/s at cache depths, in llama-bench's shape",
                "(random tokens, one warm-up, mean +- stddev over repetitions)."})
final class BenchSpeedCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Option(names = {"-p", "--n-prompt"}, defaultValue = "512", description = "Prompt tokens per pp test; 0 skips it (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = {"-n", "--n-gen"}, defaultValue = "128", description = "Generated tokens per tg test; 0 skips it (default: ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = {"-d", "--depths"}, split = ",", defaultValue = "0", description = "Tokens already in the cache (default: ${DEFAULT-VALUE}).")
    int[] depths;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "3", description = "Repetitions per test (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = {"-t", "--threads"}, description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--chunk", defaultValue = "256", description = "Prefill chunk size (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--json", description = "Print the rows as a JSON array (llama-bench's field names).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Path path = modelOption.resolve();
        try (Model model = Model.load(path)) {
            SpeedBenchmark bench = new SpeedBenchmark(model, chunk, repetitions, "full:dtype=f32");
            if (!json) {
                System.out.printf("| model | threads | kv | test | t/s |%n|---|---:|---|---:|---:|%n");
            }
            List<SpeedResult> results = bench.run(promptTokens, genTokens, depths, r -> {
                if (!json) {
                    System.out.printf("| %s | %d | %s | %s | %.2f ± %.2f |%n", path.getFileName(), r.nThreads(), r.kv(),
                            r.label(), r.avgTs(), r.stddevTs());
                }
            });
            if (json) {
                System.out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .writerWithDefaultPrettyPrinter().writeValueAsString(results));
            }
        }
        return 0;
    }
}
