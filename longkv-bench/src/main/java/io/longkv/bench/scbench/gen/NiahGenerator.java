package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * RULER's needles in a haystack on essay-like text: needles "One of the special magic numbers for
 * {adjective-noun} is: {7 digits}." at random sentence boundaries of corpus text, every key a distractor for the
 * others. Three of RULER's variants: multi-key (one value per key, one key per turn), multi-value (each key has
 * several values, all asked for) and multi-query (each turn asks for several keys at once). RULER's multi-value
 * and multi-query use 4 values or keys; here 2, so that a five-turn session at the 1K default is not mostly
 * needles.
 */
final class NiahGenerator implements SessionGenerator {
    private final ScTask task;
    private final CorpusText corpus;
    private final int turns;
    private final int keysPerTurn;
    private final int valuesPerKey;

    private NiahGenerator(ScTask task, CorpusText corpus, int turns, int keysPerTurn, int valuesPerKey) {
        this.task = task;
        this.corpus = corpus;
        this.turns = turns;
        this.keysPerTurn = keysPerTurn;
        this.valuesPerKey = valuesPerKey;
    }

    static NiahGenerator multiKey(CorpusText corpus, int turns) {
        return new NiahGenerator(ScTask.NIAH, corpus, turns, 1, 1);
    }

    static NiahGenerator multiValue(CorpusText corpus, int turns) {
        return new NiahGenerator(ScTask.NIAH_MULTIVALUE, corpus, turns, 1, 2);
    }

    static NiahGenerator multiQuery(CorpusText corpus, int turns) {
        return new NiahGenerator(ScTask.NIAH_MULTIQUERY, corpus, turns, 2, 1);
    }

    @Override
    public ScTask task() {
        return task;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        List<String> needles = new ArrayList<>();
        List<ScTurn> asked = new ArrayList<>();
        List<String> adjectives = Texts.distinct(random, Texts.ADJECTIVES, turns * keysPerTurn);
        for (int t = 0; t < turns; t++) {
            List<String> keys = new ArrayList<>();
            ArrayNode answer = JsonNodeFactory.instance.arrayNode();
            for (int k = 0; k < keysPerTurn; k++) {
                String key = adjectives.get(t * keysPerTurn + k) + "-" + Texts.pick(random, Texts.NOUNS);
                keys.add(key);
                for (int v = 0; v < valuesPerKey; v++) {
                    String value = Texts.digits(random, 7);
                    needles.add("One of the special magic numbers for " + key + " is: " + value + ".");
                    answer.add(value);
                }
            }
            String query = String.join(" and ", keys);
            asked.add(new ScTurn("What are all the special magic numbers for " + query + " mentioned in the provided text? "
                    + "The special magic numbers for " + query + " mentioned in the provided text are", answer, null, null, null));
        }
        if (needles.size() > turns) {
            // Spread one turn's needles over the text rather than side by side (multi-key keeps its historical draws).
            Collections.shuffle(needles, random);
        }
        double[] depths = random.doubles(needles.size()).sorted().toArray();
        String text = "Some special magic numbers are hidden within the following text. Make sure to memorize it. "
                + "I will quiz you about the numbers afterwards.\n\n"
                + Texts.insertAtDepths(corpus.passage(random, Math.max(units, 1)), needles, depths);
        return new ScSession(id, new TextNode(text), asked, null, null);
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 30;
    }
}
