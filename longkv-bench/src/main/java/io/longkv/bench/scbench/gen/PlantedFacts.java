package io.longkv.bench.scbench.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Facts planted in corpus text for the En.QA and En.MultiChoice stand-ins: a statement, the question about
 * it, and the pool its answer is drawn from (the other pool entries serve as wrong options). The answer is the
 * phrase without its article: En.QA scores by substring, and "a violin" answers "the violin" as well.
 */
final class PlantedFacts {
    record Fact(String statement, String question, String answer, List<String> pool) {
    }

    private record Schema(String statement, String question, List<String> pool) {
    }

    private static final List<String> CITIES = List.of("Lisbon", "Krakow", "Bergen", "Toledo", "Galway", "Ghent", "Verona",
            "Tallinn", "Porto", "Bruges", "Lucerne", "Seville");
    private static final List<String> MATERIALS = List.of("oak", "copper", "glass", "marble", "ivory", "tin", "walnut", "slate");
    private static final List<String> ANIMALS = List.of("a grey parrot", "a one-eyed cat", "a tame fox", "an old mule",
            "a white goat", "a spotted hound", "a black raven", "a small tortoise");
    private static final List<String> INSTRUMENTS = List.of("the cello", "the harp", "the flute", "the oboe", "the lute",
            "the violin", "the accordion", "the bagpipes");
    private static final List<Schema> SCHEMAS = List.of(
            new Schema("The keeper of the northern lighthouse was a man named %s.", "What was the name of the keeper of the northern lighthouse?", null),
            new Schema("The sealed letters were always sent to the city of %s.", "To which city were the sealed letters sent?", CITIES),
            new Schema("The little box that held the silver key was made of %s.", "What was the box holding the silver key made of?", MATERIALS),
            new Schema("The family at the mill kept %s as a pet.", "What pet did the family at the mill keep?", ANIMALS),
            new Schema("Every evening the youngest daughter played %s by the window.", "Which instrument did the youngest daughter play?", INSTRUMENTS),
            new Schema("The stranger at the inn said he had been born in %s.", "Where did the stranger at the inn say he was born?", CITIES),
            new Schema("The doctor's carriage was pulled by %s, to everyone's amusement.", "What pulled the doctor's carriage?", ANIMALS));

    private PlantedFacts() {
    }

    /** {@code count} facts about different things, with their answers drawn at random. */
    static List<Fact> draw(Random random, int count) {
        List<Fact> facts = new ArrayList<>();
        for (Schema s : Texts.distinct(random, SCHEMAS, Math.min(count, SCHEMAS.size()))) {
            List<String> pool = s.pool() != null ? s.pool() : names(random);
            String phrase = Texts.pick(random, pool);
            facts.add(new Fact(String.format(s.statement(), phrase), s.question(), withoutArticle(phrase),
                    pool.stream().map(PlantedFacts::withoutArticle).toList()));
        }
        return facts;
    }

    static String withoutArticle(String phrase) {
        return phrase.replaceFirst("^(a|an|the) ", "");
    }

    private static List<String> names(Random random) {
        List<String> names = new ArrayList<>();
        while (names.size() < 6) {
            String n = Texts.fullName(random);
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    /** Corpus sentences with the facts' statements at random sorted depths. */
    static String plant(Random random, List<String> passage, List<Fact> facts) {
        double[] depths = random.doubles(facts.size()).sorted().toArray();
        return Texts.insertAtDepths(passage, facts.stream().map(Fact::statement).toList(), depths);
    }
}
