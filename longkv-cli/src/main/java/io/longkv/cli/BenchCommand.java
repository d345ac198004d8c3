package io.longkv.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "Benchmarks: speed (llama-bench style), prefix reuse, kernels (JMH).",
        subcommands = {BenchSpeedCommand.class, BenchPrefixCommand.class, BenchKernelsCommand.class})
final class BenchCommand {
}
