package io.longkv.cli;

import io.longkv.sampling.SamplingParams;
import picocli.CommandLine.Option;

/** Sampling flags, with llama.cpp's names and defaults. */
final class SamplingOptions {
    @Option(names = "--temp", defaultValue = "0.8", description = "Temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "Keep the k most likely tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling threshold (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", description = "Drop tokens below this fraction of the top probability (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", description = "Repetition penalty; 1 disables it (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--repeat-last-n", defaultValue = "64", description = "Tokens the repetition penalty looks back over (default: ${DEFAULT-VALUE}).")
    int repeatLastN;

    @Option(names = "--seed", description = "Random seed (default: from the clock).")
    Long seed;

    SamplingParams params() {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, repeatLastN,
                seed != null ? seed : System.nanoTime());
    }
}
