package io.longkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.longkv.bench.fidelity.FidelityBenchmark;
import io.longkv.bench.fidelity.FidelityConfig;
import io.longkv.bench.fidelity.FidelityResult;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = {"Quality of KV methods against the full f32 cache: teacher-forced perplexity, next-token KL and",
                "top-1 agreement over --scored decode steps after a compressed prompt, and a passkey sweep."})
final class BenchFidelityCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Option(names = "--kv", required = true, paramLabel = "SPEC;SPEC;...",
            description = "KV specs separated by ';' (a per-layer rule like '2-:full' continues the spec before it).")
    String kv;

    @Option(names = "--length", defaultValue = "8192", description = "Tokens of text: prompt plus scored steps (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--scored", defaultValue = "1024", description = "Decode steps scored at the end of the text (default: ${DEFAULT-VALUE}).")
    int scored;

    @Option(names = "--passkey-lengths", split = ",", defaultValue = "2048,4096,8192",
            description = "Passkey prompt lengths; 0 skips the sweep (default: ${DEFAULT-VALUE}).")
    List<Integer> passkeyLengths;

    @Option(names = "--depths", defaultValue = "5", description = "Passkey depths per length (default: ${DEFAULT-VALUE}).")
    int depths;

    @Option(names = "--seeds", defaultValue = "3", description = "Passkeys per length and depth (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--quick", description = "CI-sized run: --length 2048 --scored 256 --passkey-lengths 1024,2048 --depths 3 --seeds 1.")
    boolean quick;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Directory of *.txt books (default: the books shipped in data/corpus).")
    Path corpus;

    @Mixin
    BenchComputeOptions compute;

    @Option(names = "--json", description = "Print one JSON line per method instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        compute.applyThreads();
        List<KvSpec> specs = parseSpecs(kv);
        FidelityConfig config = quick
                ? new FidelityConfig(2048, 256, List.of(1024, 2048), 3, 1, 8, compute.chunk, CorpusDirectory.resolve(corpus))
                : new FidelityConfig(length, scored, passkeyLengths.stream().filter(l -> l > 0).toList(), depths, seeds, 8,
                compute.chunk, CorpusDirectory.resolve(corpus));
        long start = System.nanoTime();
        try (Model model = Model.load(modelOption.resolve())) {
            List<FidelityResult> results = new FidelityBenchmark(model, config).run(specs, m -> System.err.println("fidelity: " + m));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (json) {
                ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
                for (FidelityResult r : results) {
                    System.out.println(mapper.writeValueAsString(r));
                }
            } else {
                printTable(config, results, seconds);
            }
        }
        return 0;
    }

    /** Splits on ';', gluing per-layer rules ({@code 2-:method}) back to the spec they belong to. */
    static List<KvSpec> parseSpecs(String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(";")) {
            String p = part.strip();
            if (p.matches("\\d+(-\\d*)?:.*") && !parts.isEmpty()) {
                parts.set(parts.size() - 1, parts.getLast() + ";" + p);
            } else if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts.stream().map(KvSpec::parse).toList();
    }

    private static void printTable(FidelityConfig config, List<FidelityResult> results, double seconds) {
        StringBuilder header = new StringBuilder("| kv | ppl | Δ ppl vs full | KL | top-1 |");
        StringBuilder rule = new StringBuilder("|---|---:|---:|---:|---:|");
        for (int l : config.passkeyLengths()) {
            header.append(" passkey ").append(l).append(" |");
            rule.append("---:|");
        }
        System.out.println(header.append(" KV MiB | s |"));
        System.out.println(rule.append("---:|---:|"));
        for (FidelityResult r : results) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.3f | %+.2f%% | %.4f | %.3f |", r.kv(),
                    r.perplexity(), r.perplexityDeltaPercent(), r.kl(), r.top1()));
            for (int l : config.passkeyLengths()) {
                row.append(String.format(Locale.ROOT, " %.2f |", r.passkey().get(l)));
            }
            System.out.println(row.append(String.format(Locale.ROOT, " %.1f | %.0f |", r.kvBytes() / 1048576.0, r.seconds())));
        }
        String passkey = config.passkeyLengths().isEmpty() ? "no passkey sweep" : String.format(Locale.ROOT,
                "passkey %s x %d depths x %d seeds", config.passkeyLengths(), config.depths(), config.seeds());
        System.out.printf(Locale.ROOT, "length %d (prompt %d + %d scored), %s; %.0f s in all%n",
                config.length(), config.length() - config.scored(), config.scored(), passkey, seconds);
    }
}
