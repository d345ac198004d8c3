package io.longkv.cli;

import io.longkv.bench.speed.PrefixReuseBenchmark;
import io.longkv.engine.Engine;
import io.longkv.kv.KvSpec;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.Model;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prefix", mixinStandardHelpOptions = true,
        description = "Time to first token of a second request over the same context (prefix cache) against the first (cold).")
final class BenchPrefixCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Option(names = "--context", defaultValue = "4096", description = "Shared context tokens (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--question", defaultValue = "32", description = "Tokens of each request after the context (default: ${DEFAULT-VALUE}).")
    int question;

    @Option(names = "--kv", paramLabel = "SPEC", defaultValue = Engine.DEFAULT_KV, description = "KV method (default: ${DEFAULT-VALUE}).")
    String kv;

    @Option(names = "--kv-memory", paramLabel = "SIZE", description = "KV memory budget (default: 3/4 of the JVM heap).")
    String kvMemory;

    @Mixin
    BenchComputeOptions compute;

    @Override
    public Integer call() throws Exception {
        compute.applyThreads();
        try (Model model = Model.load(modelOption.resolve())) {
            PrefixReuseBenchmark.Result r = PrefixReuseBenchmark.run(model, KvSpec.parse(kv),
                    kvMemory != null ? BlockPool.parseBytes(kvMemory) : Engine.defaultMemoryBudget(), compute.chunk, context, question);
            System.out.printf("kv %s, context %d + question %d tokens%ncold TTFT %.3f s, warm TTFT %.3f s (%d tokens reused): %.1fx%n",
                    r.kv(), r.contextTokens(), r.questionTokens(), r.coldSeconds(), r.warmSeconds(), r.reusedTokens(), r.speedup());
        }
        return 0;
    }
}
