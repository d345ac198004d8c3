package io.longkv.bench.scbench.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import io.longkv.model.Model;
import io.longkv.testing.TestCorpus;
import io.longkv.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every generator is deterministic, fills its token target with the model's tokenizer, and asks answerable questions. */
class GeneratorsTest {
    /** Tokens of the byte-level tiny model: one per byte. */
    private static final int TARGET = 8000;

    @TempDir
    static Path dir;
    static Model model;
    static Generators generators;
    static TokenSizer sizer;

    @BeforeAll
    static void setUp() throws Exception {
        model = Model.load(TinyModels.write(TinyModels.LLAMA, dir.resolve("tiny.gguf"), 1));
        generators = new Generators(CorpusText.load(TestCorpus.directory()), 5);
        sizer = new TokenSizer(model.tokenizer(), 128);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static List<ScTask> tasks() {
        return Generators.generatedTasks();
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void sameSeedSameSessionsOtherSeedOthers(ScTask task) {
        List<ScSession> a = generators.sessions(task, sizer, 7, 2, TARGET);
        assertEquals(a, generators.sessions(task, sizer, 7, 2, TARGET));
        assertNotEquals(a.get(0).context(), a.get(1).context(), "sessions of one run differ");
        assertNotEquals(a.get(0).context(), generators.sessions(task, sizer, 8, 1, TARGET).get(0).context());
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void sessionsFillTheirTokenTarget(ScTask task) {
        for (ScSession s : generators.sessions(task, sizer, 3, 2, TARGET)) {
            int tokens = sizer.tokens(task, s);
            assertTrue(tokens <= TARGET && tokens >= 0.8 * TARGET, task + ": " + tokens + " tokens for a target of " + TARGET);
            assertEquals(5, s.turns().size(), task.shortName());
        }
        // A bigger target gives a bigger session.
        ScSession big = generators.sessions(task, sizer, 3, 1, 2 * TARGET).getFirst();
        assertTrue(sizer.tokens(task, big) > 1.6 * TARGET, task + ": " + sizer.tokens(task, big));
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void retrievalAnswersAreInTheContext(ScTask task) {
        ScSession s = generators.sessions(task, sizer, 11, 1, TARGET).getFirst();
        String context = s.contextText();
        for (ScTurn turn : s.turns()) {
            ScTask sub = task.subTask(turn);
            switch (sub) {
                case KV, PREFIX_SUFFIX, PASSKEY, NIAH, NIAH_MULTIVALUE, NIAH_MULTIQUERY, QA_ENG, CHOICE_ENG, VT -> turn.labels().forEach(l ->
                        assertTrue(context.contains(l), sub + ": " + l + " is not in the context"));
                case REPOQA -> assertTrue(context.contains(turn.goldText().strip()), "the function is in the repository");
                case MANY_SHOT -> assertTrue(turn.goldText().matches("\\([A-E]\\)"), turn.goldText());
                case MF -> assertTrue(context.contains(turn.goldText()), "a statistic of the list is one of its numbers");
                case SUMMARY -> assertTrue(context.contains(turn.goldText().substring(0, 20)), "the lead is the document's start");
                default -> throw new AssertionError("unexpected sub-task " + sub);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void questionsDiffer(ScTask task) {
        ScSession s = generators.sessions(task, sizer, 13, 1, TARGET).getFirst();
        assertEquals(s.turns().size(), s.turns().stream().map(ScTurn::input).distinct().count(), task.shortName());
    }

    @org.junit.jupiter.api.Test
    void prefixSuffixTargetsAreTheOnlyMatch() {
        ScSession s = generators.sessions(ScTask.PREFIX_SUFFIX, sizer, 2, 1, TARGET).getFirst();
        List<String> strings = s.contextText().lines().skip(2).toList();
        for (ScTurn turn : s.turns()) {
            String[] quoted = turn.input().split("\"");
            long matches = strings.stream().filter(w -> w.startsWith(quoted[1]) && w.endsWith(quoted[3])).count();
            assertEquals(1, matches, turn.input());
            long nearMisses = strings.stream().filter(w -> w.startsWith(quoted[1]) ^ w.endsWith(quoted[3])).count();
            assertTrue(nearMisses >= 2, "distractors share the prefix or the suffix: " + nearMisses);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(names = {"PASSKEY", "SUMMARY_WITH_NEEDLES"})
    void everyStatementOfAPassKeyFollowsItsDoor(ScTask task) {
        ScSession s = generators.sessions(task, sizer, 5, 1, TARGET).getFirst();
        String context = s.contextText();
        for (ScTurn turn : s.turns()) {
            if (task.subTask(turn) != ScTask.PASSKEY) {
                continue;
            }
            String door = turn.input().replaceAll("What is the pass key for the (\\w+) door\\?", "$1");
            String key = turn.goldText();
            // Text after a door must be its own key: a key written before its door is followed by the next needle's.
            assertEquals(2, context.split(key, -1).length - 1, key + " is stated twice");
            assertEquals(2, context.split("the " + door + " door is " + key, -1).length - 1, door + " door: " + key);
        }
    }

    @org.junit.jupiter.api.Test
    void bookAnswersAreThePhraseWithoutItsArticle() {
        ScSession s = generators.sessions(ScTask.CHOICE_ENG, sizer, 6, 1, TARGET).getFirst();
        for (ScTurn turn : s.turns()) {
            assertTrue(!turn.goldText().matches("(?i)(a|an|the) .*"), turn.goldText());
            assertTrue(turn.options().contains(turn.goldText()), "the gold is one of the options: " + turn.options());
            turn.options().forEach(o -> assertTrue(!o.matches("(?i)(a|an|the) .*"), "options read alike: " + o));
        }
        assertEquals("grey parrot", PlantedFacts.withoutArticle("a grey parrot"));
        assertEquals("old mule", PlantedFacts.withoutArticle("an old mule"));
        assertEquals("Theodore Ashford", PlantedFacts.withoutArticle("Theodore Ashford"));
    }

    @org.junit.jupiter.api.Test
    void manyShotSessionsDrawBothSubTasksAndEveryGoldLetter() {
        List<ScSession> sessions = generators.sessions(ScTask.MANY_SHOT, sizer, 1, 12, 4000);
        java.util.Set<String> subTasks = new java.util.TreeSet<>();
        java.util.Map<String, Integer> letters = new java.util.TreeMap<>();
        for (ScSession s : sessions) {
            for (ScTurn turn : s.turns()) {
                subTasks.add(turn.task());
                letters.merge(turn.goldText(), 1, Integer::sum);
            }
        }
        assertEquals(java.util.Set.of("date_understanding", "tracking_shuffled_objects"), subTasks);
        assertEquals(5, letters.size(), letters.toString());
        letters.values().forEach(n -> assertTrue(n <= 24, "60 answers, none of the five letters far above 12: " + letters));
    }

    @org.junit.jupiter.api.Test
    void variableChainsKeepTheirOrder() {
        ScSession s = generators.sessions(ScTask.VT, sizer, 4, 1, TARGET).getFirst();
        String text = s.contextText();
        for (ScTurn turn : s.turns()) {
            List<String> names = turn.labels();
            String value = turn.input().replaceAll(".*the value (\\d+) in.*", "$1");
            int first = text.indexOf("VAR " + names.get(0) + " = " + value);
            int second = text.indexOf("VAR " + names.get(1) + " = VAR " + names.get(0));
            int third = text.indexOf("VAR " + names.get(2) + " = VAR " + names.get(1));
            assertTrue(first >= 0 && first < second && second < third, String.format(Locale.ROOT, "%d %d %d", first, second, third));
        }
    }
}
