package io.longkv.sampling;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from logits: repetition penalty, then top-k, top-p, min-p and temperature,
 * then a draw (llama.cpp's order). Buffers are allocated once per vocabulary size, not per token.
 */
public final class Sampler {
    private static final int INSERTION_LIMIT = 64;
    private final SamplingParams params;
    private final Random random;
    private final int[] candidates;
    private final float[] weights;
    private final long[] sortKeys;

    public Sampler(SamplingParams params, int vocabSize) {
        this.params = params;
        this.random = new Random(params.seed());
        this.candidates = new int[vocabSize];
        this.weights = new float[vocabSize];
        this.sortKeys = new long[vocabSize];
    }

    public SamplingParams params() {
        return params;
    }

    /**
     * Chooses a token. {@code logits} is modified by the repetition penalty;
     * {@code history} holds the tokens so far ({@code historyLength} of them).
     */
    public int sample(float[] logits, int[] history, int historyLength) {
        applyRepetitionPenalty(logits, history, historyLength);
        if (params.isGreedy()) {
            return argmax(logits);
        }
        int n = selectTopK(logits);
        // Softmax over the candidates (sorted by descending logit), at temperature 1 for the cut-offs.
        float max = logits[candidates[0]];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = (float) Math.exp(logits[candidates[i]] - max);
            sum += weights[i];
        }
        n = cutTopP(n, sum);
        n = cutMinP(n);
        // Temperature reshapes what is left.
        double total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = (float) Math.exp((logits[candidates[i]] - max) / params.temperature());
            total += weights[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            r -= weights[i];
            if (r <= 0) {
                return candidates[i];
            }
        }
        return candidates[n - 1];
    }

    public static int argmax(float[] logits) {
        return Logits.argmaxAt(logits, 0, logits.length);
    }

    private void applyRepetitionPenalty(float[] logits, int[] history, int historyLength) {
        float penalty = params.repeatPenalty();
        if (penalty == 1f || params.repeatLastN() == 0) {
            return;
        }
        // Penalize each distinct recent token once; the sign flip keeps a penalty a penalty for negative logits.
        int from = Math.max(0, historyLength - params.repeatLastN());
        for (int i = from; i < historyLength; i++) {
            int token = history[i];
            boolean seen = false;
            for (int j = from; j < i && !seen; j++) {
                seen = history[j] == token;
            }
            if (!seen) {
                logits[token] = logits[token] > 0 ? logits[token] / penalty : logits[token] * penalty;
            }
        }
    }

    /** Fills {@code candidates} with the top-k tokens in descending logit order; returns k. */
    private int selectTopK(float[] logits) {
        int k = params.topK() == 0 ? logits.length : Math.min(params.topK(), logits.length);
        if (k > INSERTION_LIMIT) {
            return sortedTopK(logits, k);
        }
        Logits.topK(logits, 0, logits.length, candidates, k);
        return k;
    }

    /** Full sort of (logit, token) packed into longs so that ascending order is descending logit. */
    private int sortedTopK(float[] logits, int k) {
        for (int token = 0; token < logits.length; token++) {
            int bits = Float.floatToIntBits(logits[token]);
            int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff; // monotone in the float value
            sortKeys[token] = ((long) ~ordered << 32) | token;
        }
        Arrays.sort(sortKeys, 0, logits.length);
        for (int i = 0; i < k; i++) {
            candidates[i] = (int) sortKeys[i];
        }
        return k;
    }

    private int cutTopP(int n, double sum) {
        if (params.topP() >= 1f) {
            return n;
        }
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += weights[i] / sum;
            if (cumulative >= params.topP()) {
                return i + 1;
            }
        }
        return n;
    }

    private int cutMinP(int n) {
        if (params.minP() <= 0) {
            return n;
        }
        // weights[0] is the most likely token's unnormalized probability.
        float threshold = weights[0] * params.minP();
        int kept = 1;
        while (kept < n && weights[kept] >= threshold) {
            kept++;
        }
        return kept;
    }
}
