package io.longkv.engine;

/** What one generation produced, with its timings. */
public record GenerationResult(String text, int promptTokens, int generatedTokens,
                               double prefillSeconds, double decodeSeconds, StopReason stopReason) {

    public double prefillTokensPerSecond() {
        return prefillSeconds > 0 ? promptTokens / prefillSeconds : 0;
    }

    /** Generated tokens per second of the decode phase (sampling and one forward pass per token). */
    public double decodeTokensPerSecond() {
        return decodeSeconds > 0 ? generatedTokens / decodeSeconds : 0;
    }
}
