package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Retr.MultiHop, RULER's variable tracking with 2 hops: chains {@code VAR A = 12345, VAR B = VAR A, VAR C = VAR B}
 * hidden in order among filler lines. One chain per turn is asked about, and as many distractor chains hold
 * other values (SCBench's 2 chains per query).
 */
final class VariableTrackingGenerator implements SessionGenerator {
    private static final int HOPS = 2;
    private final int turns;

    VariableTrackingGenerator(int turns) {
        this.turns = turns;
    }

    @Override
    public ScTask task() {
        return ScTask.VT;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        int lines = Math.max(units, 1);
        List<List<String>> statements = new ArrayList<>();
        List<ScTurn> asked = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int c = 0; c < 2 * turns; c++) {
            String value = Texts.digits(random, 5);
            List<String> names = new ArrayList<>();
            List<String> chain = new ArrayList<>();
            for (int h = 0; h <= HOPS; h++) {
                names.add(name(random, used));
                chain.add(h == 0 ? "VAR " + names.get(0) + " = " + value : "VAR " + names.get(h) + " = VAR " + names.get(h - 1));
            }
            statements.add(chain);
            if (c < turns) {
                ArrayNode answer = JsonNodeFactory.instance.arrayNode();
                names.forEach(answer::add);
                asked.add(new ScTurn("Question: Find all variables that are assigned the value " + value
                        + " in the text above. Answer: According to the chain(s) of variable assignment in the text above, "
                        + (HOPS + 1) + " variables are assigned the value " + value + ", they are: ", answer, null, null, null));
            }
        }
        // Each chain's statements go after sorted random filler lines, so their order is kept.
        List<List<String>> after = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            after.add(new ArrayList<>());
        }
        for (List<String> chain : statements) {
            int[] at = random.ints(chain.size(), 0, lines).sorted().toArray();
            for (int h = 0; h < chain.size(); h++) {
                after.get(at[h]).add(chain.get(h) + ".");
            }
        }
        StringBuilder text = new StringBuilder("Memorize and track the chain(s) of variable assignment hidden in the following text.\n\n");
        for (List<String> extra : after) {
            text.append(Texts.NOISE).append(' ');
            extra.forEach(s -> text.append(s).append(' '));
        }
        return new ScSession(id, new TextNode(text.toString().strip()), asked, null, null);
    }

    private static String name(Random random, Set<String> used) {
        while (true) {
            StringBuilder n = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                n.append((char) ('A' + random.nextInt(26)));
            }
            if (used.add(n.toString())) {
                return n.toString();
            }
        }
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 24;
    }
}
