package io.longkv.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "Benchmarks: speed (llama-bench style), kernels (JMH).",
        subcommands = {BenchSpeedCommand.class, BenchKernelsCommand.class})
final class BenchCommand {
}
