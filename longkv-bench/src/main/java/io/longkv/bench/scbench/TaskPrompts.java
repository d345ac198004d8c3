package io.longkv.bench.scbench;

import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SCBench's prompt texts (its {@code multiturn_templates} and the chat-template follow-up templates): the
 * instruction before the context, and each turn's query. The first turn's user message is
 * {@code head + context + "\n\n" + firstQuery}; every later turn, and every request of multi-request mode,
 * is a user message of its own holding {@link #followUpQuery}.
 */
public final class TaskPrompts {
    private static final Pattern MF_TARGET = Pattern.compile("The .+ is");

    private TaskPrompts() {
    }

    /** The text before the context. */
    public static String head(ScTask task, ScSession session) {
        return switch (task) {
            case KV -> "Extract the value corresponding to the specified key in the JSON object below.\n\n";
            case QA_ENG -> "Read the book and answer the question. Be very concise in your answer.\n\n";
            case CHOICE_ENG -> "Read the book and answer the question.\n\n";
            case QA_CHN -> "阅读以下书籍然后回答问题。\n\n";
            case REPOQA -> "Based on the function description and code context, please retrieve and repeat the exact "
                    + "described function from the code context in a code block wrapped by ```:\n\n";
            case PASSKEY -> "There is an important info hidden inside a lot of irrelevant text. Find it and memorize it. "
                    + "I will quiz you about the important information.\n\n";
            case MF -> mathFindQuestion(session.turns().getFirst()) + "\n\n";
            default -> "";
        };
    }

    /** The query of the first turn, after the context. */
    public static String firstQuery(ScTask task, ScTurn turn) {
        return task == ScTask.MF ? turn.input() : followUpQuery(task, turn);
    }

    /** A turn's query as a user message of its own. */
    public static String followUpQuery(ScTask task, ScTurn turn) {
        return switch (task) {
            case CHOICE_ENG -> choiceQuestion(turn);
            case QA_ENG -> "Question: " + turn.input() + "\nAnswer:";
            case QA_CHN -> "问题：" + turn.input() + "\n答案：";
            case MF -> mathFindQuestion(turn) + "\n\n" + turn.input();
            default -> turn.input();
        };
    }

    private static String choiceQuestion(ScTurn turn) {
        List<String> o = turn.options();
        if (o == null || o.size() != 4) {
            throw new IllegalArgumentException("a multiple-choice turn needs four 'options'");
        }
        return "Question: " + turn.input() + "\nA. " + o.get(0) + "\nB. " + o.get(1) + "\nC. " + o.get(2) + "\nD. " + o.get(3)
                + "\n\nThe the correct answer is";
    }

    /** "What is the largest number in the list?" from a turn like "The largest number in the list is". */
    private static String mathFindQuestion(ScTurn turn) {
        Matcher m = MF_TARGET.matcher(turn.input());
        if (!m.find()) {
            throw new IllegalArgumentException("a Math.Find turn must read 'The <statistic> is', got: " + turn.input());
        }
        String target = m.group().toLowerCase(Locale.ROOT);
        return "What is " + target.substring(0, target.length() - 3) + "?";
    }
}
