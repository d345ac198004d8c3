package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** UUID key-value pairs as Retr.KV writes them, and the question for one of them (InfiniteBench's wording). */
record KvPairs(List<String> keys, List<String> values) {
    static KvPairs random(Random random, int count) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(Texts.uuid(random));
            values.add(Texts.uuid(random));
        }
        return new KvPairs(keys, values);
    }

    int size() {
        return keys.size();
    }

    /** Pairs {@code [from, to)} as a JSON object. */
    String json(int from, int to) {
        StringBuilder out = new StringBuilder("{");
        for (int i = from; i < to; i++) {
            out.append(i > from ? ", " : "").append('"').append(keys.get(i)).append("\": \"").append(values.get(i)).append('"');
        }
        return out.append('}').toString();
    }

    ScTurn question(int index, String subTask) {
        return new ScTurn("Key: \"" + keys.get(index) + "\"\nThe value associated with the specified key is:",
                new TextNode(values.get(index)), null, subTask, null);
    }
}
