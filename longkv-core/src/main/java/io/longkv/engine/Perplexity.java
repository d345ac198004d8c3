package io.longkv.engine;

import io.longkv.sampling.Logits;

/**
 * Teacher-forced perplexity as llama.cpp's {@code llama-perplexity} computes it: the text is cut into
 * windows of {@code window} tokens, each run from an empty cache, and only the second half of each
 * window is scored, so every scored token has at least half a window of context.
 */
public final class Perplexity {
    /** @param tokensScored how many next-token predictions were scored */
    public record Result(int windows, int tokensScored, double meanNll, double perplexity) {
    }

    private Perplexity() {
    }

    public static Result evaluate(Session session, int[] tokens, int window) {
        if (window < 2) {
            throw new IllegalArgumentException("the perplexity window must be at least 2 tokens, got " + window);
        }
        int windows = tokens.length / window;
        if (windows == 0) {
            throw new IllegalArgumentException("the text has " + tokens.length + " tokens, fewer than one window of " + window);
        }
        int vocab = session.model().config().vocabSize();
        int first = window / 2;
        double[] nll = new double[1];
        int[] scored = new int[1];
        for (int w = 0; w < windows; w++) {
            int[] chunk = new int[window];
            System.arraycopy(tokens, w * window, chunk, 0, window);
            session.truncate(0);
            session.append(chunk, (row, logits, offset) -> {
                if (row >= first - 1 && row + 1 < window) {
                    nll[0] += Logits.logSumExp(logits, offset, vocab) - logits[offset + chunk[row + 1]];
                    scored[0]++;
                }
            }, null);
        }
        double mean = nll[0] / scored[0];
        return new Result(windows, scored[0], mean, Math.exp(mean));
    }
}
