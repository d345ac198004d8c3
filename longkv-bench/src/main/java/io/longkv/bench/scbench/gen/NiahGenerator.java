package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * RULER's multi-key needle in a haystack on essay-like text: needles "One of the special magic numbers for
 * {adjective-noun} is: {7 digits}." at random sentence boundaries of corpus text; each turn asks for one key.
 */
final class NiahGenerator implements SessionGenerator {
    private final CorpusText corpus;
    private final int turns;

    NiahGenerator(CorpusText corpus, int turns) {
        this.corpus = corpus;
        this.turns = turns;
    }

    @Override
    public ScTask task() {
        return ScTask.NIAH;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        List<String> needles = new ArrayList<>();
        List<ScTurn> asked = new ArrayList<>();
        List<String> adjectives = Texts.distinct(random, Texts.ADJECTIVES, turns);
        for (int t = 0; t < turns; t++) {
            String key = adjectives.get(t) + "-" + Texts.pick(random, Texts.NOUNS);
            String value = Texts.digits(random, 7);
            needles.add("One of the special magic numbers for " + key + " is: " + value + ".");
            ArrayNode answer = JsonNodeFactory.instance.arrayNode().add(value);
            asked.add(new ScTurn("What are all the special magic numbers for " + key + " mentioned in the provided text? "
                    + "The special magic numbers for " + key + " mentioned in the provided text are", answer, null, null, null));
        }
        double[] depths = random.doubles(turns).sorted().toArray();
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
