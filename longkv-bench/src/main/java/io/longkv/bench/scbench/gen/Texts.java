package io.longkv.bench.scbench.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Random pieces the generators share: UUIDs, numbers, names, and RULER's filler line. */
final class Texts {
    /** RULER's "repeat" haystack line. */
    static final String NOISE = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again.";
    static final List<String> FIRST_NAMES = List.of("Alice", "Bob", "Claire", "Dave", "Eve", "Fred", "Gertrude", "Helen",
            "Ivan", "Julia", "Karl", "Lena", "Milo", "Nora", "Oscar", "Petra", "Quinn", "Rosa", "Sven", "Tara");
    static final List<String> SURNAMES = List.of("Ashford", "Blackwood", "Carrow", "Dunmore", "Ellery", "Farrow", "Galloway",
            "Hartley", "Ingram", "Jessop", "Kendrick", "Lowther", "Marlowe", "Norcross", "Oakley", "Pembroke");
    static final List<String> ADJECTIVES = List.of("quiet", "bright", "hollow", "silver", "ancient", "crimson", "gentle",
            "frozen", "golden", "hidden", "lucky", "narrow", "orange", "purple", "rapid", "sleepy", "tiny", "wild");
    static final List<String> NOUNS = List.of("falcon", "harbor", "lantern", "meadow", "orchard", "pebble", "river", "saddle",
            "thimble", "violin", "walnut", "anchor", "bridge", "candle", "desert", "engine", "feather", "garden");

    private Texts() {
    }

    static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** A number of exactly {@code digits} digits. */
    static String digits(Random random, int digits) {
        int low = (int) Math.pow(10, digits - 1);
        return Integer.toString(low + random.nextInt(9 * low));
    }

    static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** {@code count} distinct items of {@code items}, in random order. */
    static <T> List<T> distinct(Random random, List<T> items, int count) {
        List<T> copy = new ArrayList<>(items);
        java.util.Collections.shuffle(copy, random);
        return copy.subList(0, count);
    }

    static String fullName(Random random) {
        return pick(random, FIRST_NAMES) + " " + pick(random, SURNAMES);
    }

    /** {@code count} indices spread over {@code [0, n)}: one drawn inside each of {@code count} equal strata. */
    static int[] stratified(Random random, int n, int count) {
        int[] at = new int[count];
        for (int i = 0; i < count; i++) {
            int from = (int) ((long) n * i / count);
            int to = Math.max(from + 1, (int) ((long) n * (i + 1) / count));
            at[i] = from + random.nextInt(to - from);
        }
        return at;
    }

    /** The sentences of {@code text} with {@code inserts} placed after sentences at the given (sorted) depths in [0, 1]. */
    static String insertAtDepths(List<String> sentences, List<String> inserts, double[] depths) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i <= sentences.size(); i++) {
            while (next < inserts.size() && depths[next] * sentences.size() <= i) {
                out.append(inserts.get(next++)).append(' ');
            }
            if (i < sentences.size()) {
                out.append(sentences.get(i)).append(' ');
            }
        }
        return out.toString().strip();
    }
}
