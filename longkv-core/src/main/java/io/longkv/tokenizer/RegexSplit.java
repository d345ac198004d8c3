package io.longkv.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A split by a regular expression that never matches the empty string: its matches and the text between
 * them all become pieces. Java's {@code \p{L}}, {@code \p{N}}, {@code \p{P}} are the Unicode categories.
 */
final class RegexSplit implements SplitStep {
    private final Pattern pattern;

    RegexSplit(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    @Override
    public void split(int[] cps, int start, int end, IntList ends) {
        String text = new String(cps, start, end - start);
        Matcher m = pattern.matcher(text);
        int charPos = 0;
        int cpPos = start;
        while (m.find()) {
            cpPos += text.codePointCount(charPos, m.start());
            if (m.start() > charPos) {
                ends.add(cpPos);
            }
            cpPos += text.codePointCount(m.start(), m.end());
            ends.add(cpPos);
            charPos = m.end();
        }
        if (cpPos < end) {
            ends.add(end);
        }
    }
}
