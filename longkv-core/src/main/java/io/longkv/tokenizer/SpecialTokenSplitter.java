package io.longkv.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cuts special tokens out of text before BPE, as llama.cpp does: tokens are taken longest first and
 * each one is cut everywhere in the remaining text, so a longer token wins over a shorter one it overlaps.
 */
final class SpecialTokenSplitter {
    /** A piece of the input: either a special token ({@code token >= 0}) or the text {@code [start, end)}. */
    record Fragment(int token, int start, int end) {
        static Fragment text(int start, int end) {
            return new Fragment(-1, start, end);
        }

        boolean isText() {
            return token < 0;
        }
    }

    private final Vocabulary vocab;
    private final int[] specials;

    SpecialTokenSplitter(Vocabulary vocab) {
        this.vocab = vocab;
        // Longest first; ids break ties so the order is deterministic.
        this.specials = IntStream.range(0, vocab.size())
                .filter(id -> vocab.types[id].isSpecial())
                .boxed()
                .sorted(Comparator.comparingInt((Integer id) -> -vocab.texts[id].length()).thenComparingInt(id -> id))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(Fragment.text(0, text.length()));
        for (int id : specials) {
            if (parseSpecial || vocab.types[id] == TokenType.USER_DEFINED) {
                fragments = cut(text, fragments, id);
            }
        }
        return fragments;
    }

    private List<Fragment> cut(String text, List<Fragment> fragments, int id) {
        String token = vocab.texts[id];
        List<Fragment> out = new ArrayList<>(fragments.size());
        int next = text.indexOf(token);
        if (next < 0) {
            return fragments;
        }
        for (Fragment f : fragments) {
            if (!f.isText()) {
                out.add(f);
                continue;
            }
            int from = f.start();
            while (true) {
                if (next >= 0 && next < from) {
                    next = text.indexOf(token, from); // fragments ascend, so each search resumes where the last stopped
                }
                if (next < 0 || next + token.length() > f.end()) {
                    break;
                }
                if (next > from) {
                    out.add(Fragment.text(from, next));
                }
                out.add(new Fragment(id, next, next + token.length()));
                from = next + token.length();
            }
            if (from < f.end()) {
                out.add(Fragment.text(from, f.end()));
            }
        }
        return out;
    }
}
