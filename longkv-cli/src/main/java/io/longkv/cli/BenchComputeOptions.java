package io.longkv.cli;

import io.longkv.tensor.Parallel;
import picocli.CommandLine.Option;

/** Prefill chunk and thread count, shared by the benchmark commands. */
final class BenchComputeOptions {
    @Option(names = "--chunk", defaultValue = "256", description = "Prefill chunk size (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = {"-t", "--threads"}, description = "Compute threads (default: all cores).")
    Integer threads;

    /** Applies the thread count; call before any model work. */
    void applyThreads() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
    }
}
