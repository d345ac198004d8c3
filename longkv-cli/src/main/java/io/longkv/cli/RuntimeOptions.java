package io.longkv.cli;

import io.longkv.engine.Session;
import io.longkv.model.Model;
import io.longkv.tensor.Parallel;
import picocli.CommandLine.Option;

/** Options every inference command shares: context size, prefill chunk and threads. */
final class RuntimeOptions {
    @Option(names = {"-c", "--ctx"}, paramLabel = "N", description = "Context length in tokens (default: the model's trained context).")
    Integer contextLength;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "256", description = "Prefill chunk size in tokens (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    /** Applies the thread count; call before any model work. */
    void applyThreads() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
    }

    Session newSession(Model model) {
        return new Session(model, contextLength != null ? contextLength : model.config().contextLength(), chunk);
    }
}
