package io.longkv.bench.scbench.score;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence BLEU of whitespace tokens against one reference, as RepoQA calls NLTK's {@code sentence_bleu}
 * (4-gram uniform weights, smoothing method 4 of Chen and Cherry with k = 5, NLTK 3.9): a zero n-gram
 * precision becomes {@code 1 / (2^i * k / ln(len)) / count} for the i-th zero order; a candidate shorter
 * than four tokens keeps the four uniform weights ({@code sentence_bleu}'s {@code auto_reweigh} is off), so
 * its missing orders count as smoothed zeros.
 */
public final class Bleu {
    private static final int MAX_ORDER = 4;
    private static final double K = 5;

    private Bleu() {
    }

    public static double sentence(String candidate, String reference) {
        List<String> hyp = List.of(candidate.strip().split("\\s+"));
        List<String> ref = List.of(reference.strip().split("\\s+"));
        int[] matches = new int[MAX_ORDER];
        int[] totals = new int[MAX_ORDER];
        for (int n = 1; n <= MAX_ORDER; n++) {
            Map<List<String>, Integer> hypCounts = ngrams(hyp, n);
            Map<List<String>, Integer> refCounts = ngrams(ref, n);
            int total = 0;
            for (Map.Entry<List<String>, Integer> e : hypCounts.entrySet()) {
                matches[n - 1] += Math.min(e.getValue(), refCounts.getOrDefault(e.getKey(), 0));
                total += e.getValue();
            }
            totals[n - 1] = Math.max(1, total);
        }
        if (matches[0] == 0) {
            return 0;
        }
        int hypLength = hyp.size();
        double brevity = hypLength > ref.size() ? 1 : Math.exp(1 - (double) ref.size() / hypLength);
        double[] precisions = new double[MAX_ORDER];
        int zeroSeen = 1;
        for (int i = 0; i < MAX_ORDER; i++) {
            if (matches[i] == 0 && hypLength > 1) {
                precisions[i] = 1 / (Math.pow(2, zeroSeen) * K / Math.log(hypLength)) / totals[i];
                zeroSeen++;
            } else {
                precisions[i] = (double) matches[i] / totals[i];
            }
        }
        double logSum = 0;
        for (int i = 0; i < MAX_ORDER; i++) {
            if (precisions[i] > 0) {
                logSum += Math.log(precisions[i]) / MAX_ORDER;
            }
        }
        return brevity * Math.exp(logSum);
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
