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
 * Passkey retrieval with one key per turn: {@link PassKey} needles, each tagged with its own door, in RULER's
 * filler text.
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
        List<String> needles = new ArrayList<>();
        List<ScTurn> asked = new ArrayList<>();
        for (PassKey key : PassKey.random(random, turns)) {
            needles.add(key.needle());
            asked.add(key.question(null));
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
