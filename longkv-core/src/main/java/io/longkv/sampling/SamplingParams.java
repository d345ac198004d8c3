package io.longkv.sampling;

/**
 * How the next token is chosen. Defaults follow llama.cpp: temperature 0.8, top-k 40, top-p 0.95,
 * min-p 0.05, no repetition penalty. A temperature of 0 (or below) is greedy decoding.
 *
 * @param repeatLastN how many recent tokens the repetition penalty looks at
 */
public record SamplingParams(float temperature, int topK, float topP, float minP,
                             float repeatPenalty, int repeatLastN, long seed) {

    public SamplingParams {
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 disables it), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("min-p must be in [0, 1), got " + minP);
        }
        if (!(repeatPenalty > 0)) {
            throw new IllegalArgumentException("repetition penalty must be > 0, got " + repeatPenalty);
        }
        if (repeatLastN < 0) {
            throw new IllegalArgumentException("repeat-last-n must be >= 0, got " + repeatLastN);
        }
    }

    public static SamplingParams defaults() {
        return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1f, 64, System.nanoTime());
    }

    public static SamplingParams greedy() {
        return new SamplingParams(0f, 40, 1f, 0f, 1f, 64, 0);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }
}
