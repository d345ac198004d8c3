package io.longkv.cli;

import picocli.CommandLine.Command;

@Command(name = "bench",
        description = "Benchmarks: speed (llama-bench style), fidelity of KV methods against the full cache, prefix reuse, kernels (JMH).",
        subcommands = {BenchSpeedCommand.class, BenchFidelityCommand.class, BenchPrefixCommand.class, BenchKernelsCommand.class})
final class BenchCommand {
}
