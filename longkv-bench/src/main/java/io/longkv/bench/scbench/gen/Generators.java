package io.longkv.bench.scbench.gen;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/** The generator of every task that has one (SCBench's En.Sum and Zh.QA have none: they run from files only). */
public final class Generators {
    private final Map<ScTask, SessionGenerator> byTask;

    public Generators(CorpusText corpus, int turns) {
        List<SessionGenerator> all = List.of(new KvGenerator(turns), new PrefixSuffixGenerator(turns),
                new VariableTrackingGenerator(turns), new RepoQaGenerator(turns, false), new BookQaGenerator(corpus, turns, false),
                new BookQaGenerator(corpus, turns, true), new MathFindGenerator(turns), new ManyShotGenerator(turns),
                new SumNeedlesGenerator(corpus, turns), new RepoQaGenerator(turns, true), new PasskeyGenerator(turns),
                NiahGenerator.multiKey(corpus, turns), NiahGenerator.multiValue(corpus, turns),
                NiahGenerator.multiQuery(corpus, turns));
        byTask = all.stream().collect(java.util.stream.Collectors.toMap(SessionGenerator::task, Function.identity()));
    }

    /** The tasks with a generator, in the paper's order. */
    public static List<ScTask> generatedTasks() {
        return List.of(ScTask.KV, ScTask.PREFIX_SUFFIX, ScTask.VT, ScTask.REPOQA, ScTask.QA_ENG, ScTask.CHOICE_ENG, ScTask.MF,
                ScTask.MANY_SHOT, ScTask.SUMMARY_WITH_NEEDLES, ScTask.REPOQA_AND_KV, ScTask.PASSKEY, ScTask.NIAH,
                ScTask.NIAH_MULTIVALUE, ScTask.NIAH_MULTIQUERY);
    }

    public SessionGenerator of(ScTask task) {
        SessionGenerator g = byTask.get(task);
        if (g == null) {
            throw new IllegalArgumentException("task " + task.shortName() + " has no generator; run it from SCBench's file with --data");
        }
        return g;
    }

    /** {@code count} sessions of {@code task}, each sized to {@code targetTokens}; session i is seeded by (seed, task, i). */
    public List<ScSession> sessions(ScTask task, TokenSizer sizer, long seed, int count, int targetTokens) {
        List<ScSession> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Mixed: java.util.Random's first draws barely move between nearby seeds (the first nextBoolean() is
            // the same for thousands of consecutive seeds, so every many-shot session drew the same sub-task).
            long sessionSeed = new SplittableRandom(seed * 1_000_003L + task.ordinal() * 7919L + i).nextLong();
            sessions.add(sizer.generate(of(task), task.shortName() + "-" + targetTokens + "-" + seed + "-" + i, sessionSeed, targetTokens));
        }
        return sessions;
    }
}
