package io.longkv.bench.scbench.score;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RepoQA's needle evaluator: the output's first fenced code block (or the whole output when it has none) is
 * compared by {@link Bleu} with every needle function of the session; the turn passes when the most similar
 * needle is the requested one and its BLEU is at least {@link #THRESHOLD} (pass@1 at 0.8). RepoQA also cuts
 * the first function definition out of the block with tree-sitter; without a parser here the block is kept
 * whole, which only lowers BLEU when the model writes more than the function inside the block.
 */
public final class RepoQaMatch {
    public static final double THRESHOLD = 0.8;
    private static final Pattern CODE_BLOCK = Pattern.compile("^```(?:\\w+)?\\s*\\n(.*?)(?=^```)```",
            Pattern.DOTALL | Pattern.MULTILINE);

    /** A function the model may be asked to repeat. */
    public record Needle(String name, String code) {
    }

    private RepoQaMatch() {
    }

    public static double score(String prediction, String requested, List<Needle> needles) {
        String code = firstCodeBlock(prediction);
        String best = null;
        double bestSimilarity = 0;
        for (Needle needle : needles) {
            double similarity = Bleu.sentence(code, needle.code());
            if (similarity > bestSimilarity) {
                bestSimilarity = similarity;
                best = needle.name();
            }
        }
        return requested.equals(best) && bestSimilarity >= THRESHOLD ? 1 : 0;
    }

    static String firstCodeBlock(String prediction) {
        String output = prediction.strip();
        Matcher m = CODE_BLOCK.matcher(output);
        return m.find() ? m.group(1) : output;
    }
}
