package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Retr.KV: a JSON object of UUID keys and values; each turn asks for the value of a key at another depth. */
final class KvGenerator implements SessionGenerator {
    private final int turns;

    KvGenerator(int turns) {
        this.turns = turns;
    }

    @Override
    public ScTask task() {
        return ScTask.KV;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        KvPairs pairs = KvPairs.random(random, Math.max(units, turns));
        List<ScTurn> asked = new ArrayList<>();
        for (int i : Texts.stratified(random, pairs.size(), turns)) {
            asked.add(pairs.question(i, null));
        }
        return new ScSession(id, new TextNode(pairs.json(0, pairs.size())), asked, null, null);
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 55;
    }
}
