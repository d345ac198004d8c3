package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * Math.Find: a list of numbers of up to three digits (the context is a JSON int list, as in SCBench's
 * files); each turn asks for one statistic, computed exactly.
 */
final class MathFindGenerator implements SessionGenerator {
    private record Statistic(String input, ToLongFunction<long[]> value) {
    }

    private static final List<Statistic> STATISTICS = List.of(
            new Statistic("The largest number in the list is", a -> Arrays.stream(a).max().orElseThrow()),
            new Statistic("The smallest number in the list is", a -> Arrays.stream(a).min().orElseThrow()),
            new Statistic("The first number in the list is", a -> a[0]),
            new Statistic("The last number in the list is", a -> a[a.length - 1]),
            new Statistic("The median of the list is", a -> Arrays.stream(a).sorted().toArray()[(a.length - 1) / 2]));
    private final int turns;

    MathFindGenerator(int turns) {
        this.turns = turns;
    }

    @Override
    public ScTask task() {
        return ScTask.MF;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        long[] numbers = random.longs(Math.max(units, 1), 0, 1000).toArray();
        ArrayNode context = JsonNodeFactory.instance.arrayNode();
        Arrays.stream(numbers).forEach(context::add);
        List<ScTurn> asked = new ArrayList<>();
        for (int t = 0; t < turns; t++) {
            Statistic s = STATISTICS.get(t % STATISTICS.size());
            asked.add(new ScTurn(s.input(), LongNode.valueOf(s.value().applyAsLong(numbers)), null, null, null));
        }
        return new ScSession(id, context, asked, null, null);
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 3;
    }
}
