package io.longkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.longkv.bench.speed.ReadBandwidth;
import io.longkv.bench.speed.SharedDepthFill;
import io.longkv.bench.speed.SpeedBenchmark;
import io.longkv.bench.speed.SpeedResult;
import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.ColdReads;
import io.longkv.kv.KvSpec;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.Model;
import io.longkv.tensor.Parallel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "speed", mixinStandardHelpOptions = true,
        description = {"Prompt (pp) and generation (tg) tokens/s at cache depths, in llama-bench's shape",
                "(random tokens, one warm-up, mean +- stddev over repetitions), per KV method; generation rows also give",
                "the decode attention's bandwidth (KV bytes read / time in attention) against the machine's read bandwidth:",
                "once against the bandwidth measured at the start, and paired: the median over repetitions of the share of",
                "the bandwidth measured right after each one (the bandwidth of a shared machine drifts)."})
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

    @Mixin
    BenchComputeOptions compute;

    @Option(names = "--kv", paramLabel = "SPEC", defaultValue = Engine.DEFAULT_KV,
            description = "KV methods to compare: repeat the option or separate specs with ';' (default: ${DEFAULT-VALUE}).")
    List<String> kv;

    @Option(names = "--kv-memory", paramLabel = "SIZE", description = "KV memory budget, e.g. 4GiB (default: 3/4 of the JVM heap).")
    String kvMemory;

    @Option(names = "--shared-depth", description = {"Prefill each depth once, attending through a full f16 cache, and give every method",
            "the same keys and values (not SnapKV or H2O, which keep tokens by the prompt's attention): one long prefill instead of one per method."})
    boolean sharedDepth;

    @Option(names = "--json", description = "Print the rows as a JSON array (llama-bench's field names).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        compute.applyThreads();
        List<KvSpec> specs = specs(kv);
        if (sharedDepth) {
            specs.forEach(SharedDepthFill::check);
        }
        long budget = kvMemory != null ? BlockPool.parseBytes(kvMemory) : Engine.defaultMemoryBudget();
        Path path = modelOption.resolve();
        try (Model model = Model.load(path)) {
            ReadBandwidth yardstick = new ReadBandwidth();
            double bandwidth = yardstick.measure() / 1e9;
            if (!json) {
                System.out.printf("machine read bandwidth: %.1f GB/s (streaming read, %d threads)%n%n", bandwidth, Parallel.threads());
                System.out.printf("| model | threads | kv | test | t/s | KV read/token | attn GB/s | of bandwidth | paired |%n"
                        + "|---|---:|---|---:|---:|---:|---:|---:|---:|%n");
            }
            Consumer<SpeedResult> print = r -> {
                if (!json) {
                    boolean gen = r.nGen() > 0;
                    System.out.printf("| %s | %d | %s | %s | %.2f ± %.2f | %s | %s | %s | %s |%n", path.getFileName(), r.nThreads(), r.kv(),
                            r.label(), r.avgTs(), r.stddevTs(), gen ? BlockPool.format(r.kvReadPerToken()) : "",
                            gen ? String.format("%.1f", r.attentionGbs()) : "",
                            gen ? String.format("%.0f%%", 100 * r.attentionGbs() / bandwidth) : "",
                            gen ? String.format("%.0f%%", 100 * r.attentionShare()) : "");
                    printTiers(r);
                }
            };
            List<SpeedBenchmark> benches = new ArrayList<>();
            for (KvSpec spec : specs) {
                benches.add(new SpeedBenchmark(model, compute.chunk, repetitions, spec, budget).pairedWith(yardstick));
            }
            List<SpeedResult> results = new ArrayList<>();
            if (sharedDepth) {
                for (int depth : depths) {
                    results.addAll(runShared(model, benches, depth, budget, print));
                }
            } else {
                for (SpeedBenchmark bench : benches) {
                    results.addAll(bench.run(promptTokens, genTokens, depths, print));
                }
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("read_bandwidth_gbs", bandwidth);
                out.put("results", results);
                System.out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .writerWithDefaultPrettyPrinter().writeValueAsString(out));
            }
        }
        return 0;
    }

    /** Every method's tests at one depth, from one shared prefill of it. */
    private List<SpeedResult> runShared(Model model, List<SpeedBenchmark> benches, int depth, long budget, Consumer<SpeedResult> print) {
        List<Engine> engines = benches.stream().map(SpeedBenchmark::engine).toList();
        int context = SpeedBenchmark.contextLength(depth, promptTokens, genTokens);
        List<Session> sessions;
        try (PrefillProgress progress = new PrefillProgress(depth, json)) {
            sessions = SharedDepthFill.fill(model, engines, benches.get(0).randomTokens(depth), context, compute.chunk, budget, progress);
        }
        List<SpeedResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < benches.size(); i++) {
                results.addAll(benches.get(i).runAt(sessions.get(i), promptTokens, genTokens, print));
            }
        } finally {
            sessions.forEach(Session::close);
        }
        return results;
    }

    /** Under a generation row of a method with a cold tier: memory per tier and the cold tier's traffic. */
    private static void printTiers(SpeedResult r) {
        ColdReads c = r.coldReads();
        if (r.kvColdBytes() == 0 || c.steps() == 0) {
            return;
        }
        long tokens = (r.samplesTs().length + 1L) * r.nGen();
        System.out.printf("| | | | | KV hot %s, cold %s; cold tier read %s/token; prefetches ready in time %.0f%%, wait %.3f ms/token;"
                        + " channel rows found prefetched %.0f%% | | | |%n", BlockPool.format(r.kvHotBytes()), BlockPool.format(r.kvColdBytes()),
                BlockPool.format(c.bytes() / tokens), 100 * c.hitRate(), c.waitNanos() / 1e6 / tokens, 100 * c.rowHitRate());
    }

    /** Each option value is one spec, or several separated by ';' (a per-layer spec keeps its own ';'). */
    static List<KvSpec> specs(List<String> values) {
        List<KvSpec> out = new ArrayList<>();
        for (String v : values) {
            if (v.strip().startsWith("layers=")) {
                out.add(KvSpec.parse(v));
            } else {
                for (String part : v.split(";")) {
                    out.add(KvSpec.parse(part));
                }
            }
        }
        return out;
    }
}
