package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Retr.Prefix-Suffix: a list of random strings; each turn gives a prefix and a suffix that exactly one string
 * has, while near misses share only the prefix or only the suffix.
 */
final class PrefixSuffixGenerator implements SessionGenerator {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int AFFIX = 4;
    private static final int NEAR_MISSES = 2;
    private final int turns;

    PrefixSuffixGenerator(int turns) {
        this.turns = turns;
    }

    @Override
    public ScTask task() {
        return ScTask.PREFIX_SUFFIX;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        int count = Math.max(units, turns * (1 + 2 * NEAR_MISSES));
        Set<String> strings = new LinkedHashSet<>();
        List<String> targets = new ArrayList<>();
        for (int t = 0; t < turns; t++) {
            String target = word(random);
            targets.add(target);
            strings.add(target);
            for (int d = 0; d < NEAR_MISSES; d++) {
                strings.add(target.substring(0, AFFIX) + word(random).substring(AFFIX));
                String other = word(random);
                strings.add(other.substring(0, other.length() - AFFIX) + target.substring(target.length() - AFFIX));
            }
        }
        while (strings.size() < count) {
            strings.add(word(random));
        }
        List<String> list = new ArrayList<>(strings);
        Collections.shuffle(list, random);
        List<ScTurn> asked = new ArrayList<>();
        for (String target : targets) {
            String prefix = target.substring(0, AFFIX);
            String suffix = target.substring(target.length() - AFFIX);
            if (list.stream().filter(s -> s.startsWith(prefix) && s.endsWith(suffix)).count() != 1) {
                continue; // a filler happened to match both: ask about the other targets only
            }
            asked.add(new ScTurn("Which string in the list above starts with \"" + prefix + "\" and ends with \"" + suffix
                    + "\"? Answer with the whole string.", new TextNode(target), null, null, null));
        }
        String context = "Below is a list of strings, one per line.\n\n" + String.join("\n", list);
        return new ScSession(id, new TextNode(context), asked, null, null);
    }

    /** 16 to 31 characters, so a string costs about ten tokens. */
    private static String word(Random random) {
        int length = 16 + random.nextInt(16);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 14;
    }
}
