package io.longkv.bench.scbench.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * ROUGE-Lsum F-measure as Google's {@code rouge_score} computes it (what Hugging Face {@code evaluate}'s
 * "rouge" calls, without stemming): texts are lower-cased, split into sentences on newlines and into tokens
 * on anything but [a-z0-9]; hits are the union LCS of each reference sentence with the candidate's
 * sentences, each token counted at most as often as it occurs on both sides.
 */
public final class RougeLsum {
    private RougeLsum() {
    }

    public static double fMeasure(String prediction, String reference) {
        List<List<String>> ref = sentences(reference);
        List<List<String>> can = sentences(prediction);
        int m = ref.stream().mapToInt(List::size).sum();
        int n = can.stream().mapToInt(List::size).sum();
        if (m == 0 || n == 0) {
            return 0;
        }
        Map<String, Integer> refCounts = counts(ref);
        Map<String, Integer> canCounts = counts(can);
        int hits = 0;
        for (List<String> r : ref) {
            TreeSet<Integer> union = new TreeSet<>();
            for (List<String> c : can) {
                union.addAll(lcsIndices(r, c));
            }
            for (int i : union) {
                String token = r.get(i);
                if (canCounts.getOrDefault(token, 0) > 0 && refCounts.getOrDefault(token, 0) > 0) {
                    hits++;
                    canCounts.merge(token, -1, Integer::sum);
                    refCounts.merge(token, -1, Integer::sum);
                }
            }
        }
        double recall = (double) hits / m;
        double precision = (double) hits / n;
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    }

    /** Non-empty lines, each tokenized; a text without newlines is one sentence. */
    static List<List<String>> sentences(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                out.add(tokens(line));
            }
        }
        return out;
    }

    static List<String> tokens(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")).filter(t -> !t.isEmpty()).toList();
    }

    private static Map<String, Integer> counts(List<List<String>> sentences) {
        Map<String, Integer> counts = new HashMap<>();
        sentences.forEach(s -> s.forEach(t -> counts.merge(t, 1, Integer::sum)));
        return counts;
    }

    /** Indices into {@code ref} of one longest common subsequence, backtracked as rouge_score does. */
    private static List<Integer> lcsIndices(List<String> ref, List<String> can) {
        int[][] t = new int[ref.size() + 1][can.size() + 1];
        for (int i = 1; i <= ref.size(); i++) {
            for (int j = 1; j <= can.size(); j++) {
                t[i][j] = ref.get(i - 1).equals(can.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        List<Integer> lcs = new ArrayList<>();
        int i = ref.size();
        int j = can.size();
        while (i > 0 && j > 0) {
            if (ref.get(i - 1).equals(can.get(j - 1))) {
                lcs.addFirst(i - 1);
                i--;
                j--;
            } else if (t[i][j - 1] > t[i - 1][j]) {
                j--;
            } else {
                i--;
            }
        }
        return lcs;
    }
}
