package io.longkv.bench.scbench.gen;

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
 * Code.RepoQA, and with {@code kvEvery > 0} Mix.RepoQA+KV: a "repository" of synthetic functions in one
 * language (blocks of JSON key-value pairs between them in the mixed task); turns describe a function to be
 * repeated (and, in the mixed task, alternate with key lookups).
 */
final class RepoQaGenerator implements SessionGenerator {
    private static final int PAIRS_PER_BLOCK = 10;
    private final int turns;
    private final boolean withKv;

    RepoQaGenerator(int turns, boolean withKv) {
        this.turns = turns;
        this.withKv = withKv;
    }

    @Override
    public ScTask task() {
        return withKv ? ScTask.REPOQA_AND_KV : ScTask.REPOQA;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        String language = Texts.pick(random, SyntheticFunctions.LANGUAGES);
        int count = Math.max(units, turns);
        List<SyntheticFunctions.Function> functions = new ArrayList<>();
        Set<String> descriptions = new HashSet<>();
        while (functions.size() < count) {
            SyntheticFunctions.Function f = SyntheticFunctions.random(random, language);
            if (descriptions.add(f.description())) {
                functions.add(f);
            }
        }
        int blocks = withKv ? Math.max(1, count / 4) : 0;
        KvPairs pairs = KvPairs.random(random, blocks * PAIRS_PER_BLOCK);
        StringBuilder code = new StringBuilder();
        int blocksWritten = 0;
        for (int i = 0; i < count; i++) {
            code.append(functions.get(i).code()).append('\n');
            if (withKv && blocksWritten < blocks && (i + 1) % 4 == 0) {
                code.append("KV data: ").append(pairs.json(blocksWritten * PAIRS_PER_BLOCK, (blocksWritten + 1) * PAIRS_PER_BLOCK))
                        .append("\n\n");
                blocksWritten++;
            }
        }
        int[] askedFunctions = Texts.stratified(random, count, turns);
        int[] askedPairs = Texts.stratified(random, Math.max(1, blocksWritten * PAIRS_PER_BLOCK), turns);
        List<ScTurn> asked = new ArrayList<>();
        for (int t = 0; t < turns; t++) {
            if (withKv && t % 2 == 1 && blocksWritten > 0) {
                asked.add(pairs.question(askedPairs[t], ScTask.KV.fileName()));
            } else {
                SyntheticFunctions.Function f = functions.get(askedFunctions[t]);
                asked.add(new ScTurn("Function description: " + f.description() + "\nRepeat the function that matches "
                        + "this description, in a code block.", new TextNode(f.code()), null,
                        withKv ? ScTask.REPOQA.fileName() : null, f.name()));
            }
        }
        return new ScSession(id, new TextNode(code.toString().strip()), asked, language, "synthetic-" + language + "-" + id);
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / (withKv ? 90 : 60);
    }
}
