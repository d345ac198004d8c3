package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * InfiniteBench's pass key needle ("The pass key is N. Remember it. N is the pass key."), tagged with a door so
 * that several keys can share a context, and the question for one of them. Both statements put the key right
 * after the tag: in InfiniteBench's restatement the key comes first, so with tags the text that follows
 * "... for the sleepy door" is the next needle's key, which small models copy.
 */
record PassKey(String door, String key) {
    /**
     * {@code count} keys behind distinct doors. Doors are named by nouns: with adjectives ("the sleepy door") the
     * default model returned another door's key more often (9 misses in 15 questions against 6).
     */
    static List<PassKey> random(Random random, int count) {
        List<PassKey> keys = new ArrayList<>();
        for (String door : Texts.distinct(random, Texts.NOUNS, count)) {
            keys.add(new PassKey(door, Texts.digits(random, 5)));
        }
        return keys;
    }

    String needle() {
        return "The pass key for the " + door + " door is " + key + ". Remember it. The pass key for the " + door + " door is "
                + key + ".";
    }

    /** @param subTask the sub-task name in a mixed task, else null */
    ScTurn question(String subTask) {
        return new ScTurn("What is the pass key for the " + door + " door?", new TextNode(key), null, subTask, null);
    }
}
