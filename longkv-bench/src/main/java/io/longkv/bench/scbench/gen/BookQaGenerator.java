package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Stand-ins for En.QA and En.MultiChoice (InfiniteBench's novels cannot be downloaded here): facts planted in
 * a corpus passage and asked about later, as a free answer or as one of four options.
 */
final class BookQaGenerator implements SessionGenerator {
    private final CorpusText corpus;
    private final int turns;
    private final boolean multipleChoice;

    BookQaGenerator(CorpusText corpus, int turns, boolean multipleChoice) {
        this.corpus = corpus;
        this.turns = turns;
        this.multipleChoice = multipleChoice;
    }

    @Override
    public ScTask task() {
        return multipleChoice ? ScTask.CHOICE_ENG : ScTask.QA_ENG;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        List<PlantedFacts.Fact> facts = PlantedFacts.draw(random, turns);
        String book = PlantedFacts.plant(random, corpus.passage(random, Math.max(units, 1)), facts);
        List<ScTurn> asked = new ArrayList<>();
        for (PlantedFacts.Fact f : facts) {
            List<String> options = null;
            if (multipleChoice) {
                options = new ArrayList<>(Texts.distinct(random, f.pool().stream().filter(p -> !p.equals(f.answer())).toList(), 3));
                options.add(f.answer());
                Collections.shuffle(options, random);
            }
            asked.add(new ScTurn(f.question(), new TextNode(f.answer()), options, null, null));
        }
        return new ScSession(id, new TextNode(book), asked, null, null);
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 30;
    }
}
