package io.longkv.tokenizer;

import static io.longkv.tokenizer.CodepointClass.LETTER;
import static io.longkv.tokenizer.CodepointClass.NUMBER;
import static io.longkv.tokenizer.CodepointClass.OTHER;
import static io.longkv.tokenizer.CodepointClass.WHITESPACE;

/**
 * Llama 3's pattern {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+},
 * hand-written; Qwen2's is the same with {@code \p{N}} taken one digit at a time.
 */
final class Llama3Split implements SplitStep {
    private final int maxDigits;

    Llama3Split(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    @Override
    public void split(int[] cps, int start, int end, IntList ends) {
        int pos = start;
        while (pos < end) {
            pos = next(cps, pos, end);
            ends.add(pos);
        }
    }

    /** The end of the piece starting at {@code pos}. */
    private int next(int[] cps, int pos, int end) {
        int contraction = SplitStep.contraction(cps, pos, end, true);
        if (contraction > 0) {
            return pos + contraction;
        }
        int cp = cps[pos];
        CodepointClass here = CodepointClass.of(cp);
        if (cp != '\r' && cp != '\n' && here != NUMBER
                && (here == LETTER || CodepointClass.at(cps, pos + 1, end) == LETTER)) {
            int p = pos + 1; // the optional non-letter prefix, or the first letter
            while (CodepointClass.at(cps, p, end) == LETTER) {
                p++;
            }
            return p;
        }
        if (here == NUMBER) {
            int p = pos + 1;
            while (p - pos < maxDigits && CodepointClass.at(cps, p, end) == NUMBER) {
                p++;
            }
            return p;
        }
        boolean space = cp == ' ';
        if (CodepointClass.at(cps, space ? pos + 1 : pos, end) == OTHER) {
            int p = space ? pos + 1 : pos;
            while (CodepointClass.at(cps, p, end) == OTHER) {
                p++;
            }
            while (p < end && (cps[p] == '\r' || cps[p] == '\n')) {
                p++;
            }
            return p;
        }
        int spaces = 0;
        int afterLastNewline = -1;
        while (CodepointClass.at(cps, pos + spaces, end) == WHITESPACE) {
            if (cps[pos + spaces] == '\r' || cps[pos + spaces] == '\n') {
                afterLastNewline = pos + spaces + 1;
            }
            spaces++;
        }
        if (afterLastNewline > 0) {
            return afterLastNewline; // \s*[\r\n]+
        }
        return pos + (spaces > 1 && pos + spaces < end ? spaces - 1 : spaces);
    }
}
