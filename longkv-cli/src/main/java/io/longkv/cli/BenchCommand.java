package io.longkv.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "Benchmarks: speed (llama-bench style), prefix reuse.",
        subcommands = {BenchSpeedCommand.class, BenchPrefixCommand.class})
final class BenchCommand {
}
