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
 * Passkey retrieval with one key per turn: InfiniteBench's needle ("The pass key is N. Remember it. N is the
 * pass key.") tagged with a door colour so that each turn asks for another one, in RULER's filler text.
 */
final class PasskeyGenerator implements SessionGenerator {
    private final int turns;

    PasskeyGenerator(int turns) {
        this.turns = turns;
    }

    @Override
    public ScTask task() {
        return ScTask.PASSKEY;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        List<String> doors = Texts.distinct(random, Texts.ADJECTIVES, turns);
        List<String> needles = new ArrayList<>();
        List<ScTurn> asked = new ArrayList<>();
        for (String door : doors) {
            String key = Texts.digits(random, 5);
            needles.add("The pass key for the " + door + " door is " + key + ". Remember it. " + key + " is the pass key for the "
                    + door + " door.");
            asked.add(new ScTurn("What is the pass key for the " + door + " door?", new TextNode(key), null, null, null));
        }
        double[] depths = random.doubles(turns).sorted().toArray();
        List<String> filler = Collections.nCopies(Math.max(units, 1), Texts.NOISE);
        Collections.shuffle(asked, random);
        return new ScSession(id, new TextNode(Texts.insertAtDepths(filler, needles, depths)), asked, null, null);
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 21;
    }
}
