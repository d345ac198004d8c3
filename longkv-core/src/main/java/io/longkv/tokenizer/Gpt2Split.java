package io.longkv.tokenizer;

import static io.longkv.tokenizer.CodepointClass.NONE;
import static io.longkv.tokenizer.CodepointClass.WHITESPACE;

/**
 * GPT-2's pattern {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+},
 * hand-written like llama.cpp's: a single scan, no backtracking.
 */
final class Gpt2Split implements SplitStep {
    @Override
    public void split(int[] cps, int start, int end, IntList ends) {
        int pos = start;
        while (pos < end) {
            int contraction = SplitStep.contraction(cps, pos, end, false);
            if (contraction > 0) {
                pos += contraction;
                ends.add(pos);
                continue;
            }
            boolean space = cps[pos] == ' ';
            CodepointClass run = CodepointClass.at(cps, space ? pos + 1 : pos, end);
            if (run != WHITESPACE && run != NONE) {
                // ' ?' then a run of letters, of numbers, or of anything else
                int p = space ? pos + 1 : pos;
                while (CodepointClass.at(cps, p, end) == run) {
                    p++;
                }
                pos = p;
                ends.add(pos);
                continue;
            }
            int spaces = 0;
            while (CodepointClass.at(cps, pos + spaces, end) == WHITESPACE) {
                spaces++;
            }
            // \s+(?!\S) leaves the last whitespace to start the next word; \s+ takes a final run whole
            pos += spaces > 1 && pos + spaces < end ? spaces - 1 : spaces;
            ends.add(pos);
        }
    }
}
