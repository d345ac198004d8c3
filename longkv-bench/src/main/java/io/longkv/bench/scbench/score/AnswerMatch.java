package io.longkv.bench.scbench.score;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SCBench's string scorers ({@code compute_scores.py}), each returning 1 or 0 unless noted. */
public final class AnswerMatch {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern OPTION = Pattern.compile("\\([A-Z]\\)");
    private static final Pattern NUMBER = Pattern.compile("\\d+\\.\\d+|\\d+");
    private static final List<String> ANSWER_PREFIXES = List.of("answer is:", "answer:", "answer is", "option is");

    private AnswerMatch() {
    }

    /** Retr.KV and Prefix-Suffix: the gold string occurs in the output, case-sensitively. */
    public static double substring(String prediction, String label) {
        return prediction.contains(label) ? 1 : 0;
    }

    /** Variable tracking ({@code string_match_all}): the fraction of gold names found, ignoring case, to 2 decimals. */
    public static double fractionFound(String prediction, List<String> labels) {
        String lower = prediction.toLowerCase(Locale.ROOT);
        long found = labels.stream().filter(l -> lower.contains(l.toLowerCase(Locale.ROOT))).count();
        return Math.round(100.0 * found / labels.size()) / 100.0;
    }

    /** Passkey: the first run of digits in the output equals the key. */
    public static double firstInteger(String prediction, String label) {
        Matcher m = DIGITS.matcher(prediction);
        return m.find() && m.group().equals(label) ? 1 : 0;
    }

    /** Math.Find: the first number (decimal or integer) in the output, truncated to an integer, equals the label. */
    public static double firstNumber(String prediction, String label) {
        Matcher m = NUMBER.matcher(prediction);
        return m.find() && (long) Double.parseDouble(m.group()) == Long.parseLong(label.strip()) ? 1 : 0;
    }

    /** En.QA and ICL.ManyShot ({@code longdialogue_qa_eng}): some label occurs in the output, ignoring case. */
    public static double anyLabel(String prediction, List<String> labels) {
        String upper = prediction.strip().toUpperCase(Locale.ROOT);
        return labels.stream().anyMatch(l -> upper.contains(l.toUpperCase(Locale.ROOT))) ? 1 : 0;
    }

    /**
     * ICL.ManyShot, strictly (as KVzip scores it): the first "(X)" option in the output is the gold one. The
     * lenient {@link #anyLabel} also counts an answer that lists several options.
     */
    public static double firstOption(String prediction, String label) {
        Matcher m = OPTION.matcher(prediction.toUpperCase(Locale.ROOT));
        return m.find() && m.group().equals(label.strip().toUpperCase(Locale.ROOT)) ? 1 : 0;
    }

    /**
     * En.MultiChoice: the labels hold the option text and its letter. A leading A-D decides; else the text after
     * "answer is:" and the like; else the first standalone letter A-D.
     */
    public static double choice(String prediction, List<String> labels) {
        String pred = prediction.strip();
        if (pred.isEmpty()) {
            return 0;
        }
        if ("ABCD".indexOf(pred.charAt(0)) >= 0) {
            return labels.contains(String.valueOf(pred.charAt(0))) ? 1 : 0;
        }
        if (labels.contains(pred)) {
            return 1;
        }
        pred = pred.replaceAll("[\\n\"'.,?!{}]", " ").replaceAll(" {2,}", " ");
        for (String prefix : ANSWER_PREFIXES) {
            int at = pred.indexOf(prefix);
            if (at < 0) {
                continue;
            }
            if (pred.length() < at + prefix.length() + 1) {
                return 0;
            }
            String after = pred.substring(at + prefix.length() + 1);
            return labels.stream().anyMatch(after::startsWith) ? 1 : 0;
        }
        for (String word : pred.strip().split("\\s+")) {
            // Python's `word in "ABCD"` is a substring test, so "AB" counts too, as in SCBench.
            if (!word.isEmpty() && "ABCD".contains(word)) {
                return labels.contains(word) ? 1 : 0;
            }
        }
        return 0;
    }

    /** Zh.QA: character F1 after dropping punctuation and whitespace (a score in [0, 1]). */
    public static double characterF1(String prediction, List<String> labels) {
        double best = 0;
        String pred = normalizeChinese(prediction);
        for (String label : labels) {
            best = Math.max(best, f1(pred, normalizeChinese(label)));
        }
        return best;
    }

    private static double f1(String prediction, String label) {
        Map<Integer, Integer> counts = new HashMap<>();
        label.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        int same = 0;
        for (int c : prediction.codePoints().toArray()) {
            Integer left = counts.get(c);
            if (left != null && left > 0) {
                counts.put(c, left - 1);
                same++;
            }
        }
        if (same == 0) {
            return 0;
        }
        double precision = (double) same / prediction.codePointCount(0, prediction.length());
        double recall = (double) same / label.codePointCount(0, label.length());
        return 2 * precision * recall / (precision + recall);
    }

    private static final String CHINESE_PUNCTUATION = "！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿–—‘’‛“”„‟…‧﹏.";
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static String normalizeChinese(String s) {
        StringBuilder out = new StringBuilder();
        s.toLowerCase(Locale.ROOT).codePoints().filter(c -> !Character.isWhitespace(c)
                && CHINESE_PUNCTUATION.indexOf(c) < 0 && ASCII_PUNCTUATION.indexOf(c) < 0).forEach(out::appendCodePoint);
        return out.toString();
    }
}
