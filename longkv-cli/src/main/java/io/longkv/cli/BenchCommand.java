package io.longkv.cli;

import picocli.CommandLine.Command;

@Command(name = "bench",
        description = "Benchmarks: speed (llama-bench style), fidelity of KV methods against the full cache, prefix reuse, kernels (JMH), shared-context sessions (SCBench).",
        subcommands = {BenchSpeedCommand.class, BenchFidelityCommand.class, BenchPrefixCommand.class, BenchKernelsCommand.class,
                BenchScbenchCommand.class})
final class BenchCommand {
}
