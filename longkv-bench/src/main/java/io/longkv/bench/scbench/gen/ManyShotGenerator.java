package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * ICL.ManyShot in the style of BIG-Bench Hard: many solved examples of one task (tracking shuffled objects,
 * or date arithmetic; the session's seed picks which), then new questions answered with an option letter.
 */
final class ManyShotGenerator implements SessionGenerator {
    private static final DateTimeFormatter MDY = DateTimeFormatter.ofPattern("MM/dd/yyyy");
    private static final List<String> BALLS = List.of("red ball", "blue ball", "green ball", "yellow ball", "white ball");
    private static final int PEOPLE = 5;
    private static final int SWAPS = 3;

    private record Example(String question, String answer) {
    }

    private final int turns;

    ManyShotGenerator(int turns) {
        this.turns = turns;
    }

    @Override
    public ScTask task() {
        return ScTask.MANY_SHOT;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        boolean shuffled = random.nextBoolean();
        StringBuilder context = new StringBuilder("Answer each question with the letter of the correct option.\n\n");
        for (int i = 0; i < Math.max(units, 1); i++) {
            Example e = shuffled ? shuffledObjects(random) : dateArithmetic(random);
            context.append(e.question()).append(' ').append(e.answer()).append("\n\n");
        }
        List<ScTurn> asked = new ArrayList<>();
        String subTask = shuffled ? "tracking_shuffled_objects" : "date_understanding";
        for (int t = 0; t < turns; t++) {
            Example e = shuffled ? shuffledObjects(random) : dateArithmetic(random);
            asked.add(new ScTurn(e.question(), new TextNode(e.answer()), null, subTask, null));
        }
        return new ScSession(id, new TextNode(context.toString().strip()), asked, null, null);
    }

    private static Example shuffledObjects(Random random) {
        List<String> people = Texts.distinct(random, Texts.FIRST_NAMES, PEOPLE);
        List<String> holding = new ArrayList<>(BALLS);
        Collections.shuffle(holding, random);
        StringBuilder q = new StringBuilder("Q: ").append(String.join(", ", people.subList(0, PEOPLE - 1)))
                .append(" and ").append(people.getLast()).append(" are holding a ")
                .append(String.join(", a ", holding)).append(", respectively. ");
        List<String> now = new ArrayList<>(holding);
        for (int s = 0; s < SWAPS; s++) {
            int a = random.nextInt(PEOPLE);
            int b = (a + 1 + random.nextInt(PEOPLE - 1)) % PEOPLE;
            Collections.swap(now, a, b);
            q.append(s == 0 ? "First, " : s == SWAPS - 1 ? "Finally, " : "Then, ").append(people.get(a)).append(" and ")
                    .append(people.get(b)).append(" swap balls. ");
        }
        int asked = random.nextInt(PEOPLE);
        q.append("At the end, ").append(people.get(asked)).append(" has the");
        return options(random, q, BALLS, now.get(asked));
    }

    private static Example dateArithmetic(Random random) {
        LocalDate today = LocalDate.of(1990 + random.nextInt(40), 1, 1).plusDays(random.nextInt(365));
        int days = 1 + random.nextInt(30);
        boolean later = random.nextBoolean();
        LocalDate gold = later ? today.plusDays(days) : today.minusDays(days);
        List<String> choices = new ArrayList<>(List.of(gold.format(MDY), today.plusDays(later ? -days : days).format(MDY),
                gold.plusDays(1).format(MDY), gold.plusMonths(1).format(MDY), gold.minusYears(1).format(MDY)));
        StringBuilder q = new StringBuilder("Q: Today is ").append(today.format(MDY)).append(". What is the date ")
                .append(days).append(days == 1 ? " day " : " days ").append(later ? "from today" : "ago")
                .append(" in MM/DD/YYYY?");
        return options(random, q, choices, gold.format(MDY));
    }

    /** Appends the shuffled options and returns the question with the gold letter, e.g. "(C)". */
    private static Example options(Random random, StringBuilder question, List<String> choices, String gold) {
        List<String> shuffled = new ArrayList<>(choices);
        Collections.shuffle(shuffled, random);
        question.append("\nOptions:");
        for (int i = 0; i < shuffled.size(); i++) {
            question.append("\n(").append((char) ('A' + i)).append(") ").append(shuffled.get(i));
        }
        question.append("\nA:");
        return new Example(question.toString(), "(" + (char) ('A' + shuffled.indexOf(gold)) + ")");
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 110;
    }
}
