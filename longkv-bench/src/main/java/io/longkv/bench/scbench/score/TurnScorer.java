package io.longkv.bench.scbench.score;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.List;

/** Scores one turn's output with the scorer SCBench maps its task (or sub-task) to; a score is in [0, 1]. */
public final class TurnScorer {
    private TurnScorer() {
    }

    public static double score(ScTask task, ScSession session, int turnIndex, String prediction) {
        ScTurn turn = session.turns().get(turnIndex);
        List<String> labels = turn.labels();
        return switch (task.subTask(turn)) {
            case KV, PREFIX_SUFFIX -> AnswerMatch.substring(prediction, labels.getFirst());
            case VT, NIAH, NIAH_MULTIVALUE, NIAH_MULTIQUERY -> AnswerMatch.fractionFound(prediction, labels);
            case PASSKEY -> AnswerMatch.firstInteger(prediction, labels.getFirst());
            case MF -> AnswerMatch.firstNumber(prediction, labels.getFirst());
            case QA_ENG, MANY_SHOT -> AnswerMatch.anyLabel(prediction, labels);
            case CHOICE_ENG -> AnswerMatch.choice(prediction, choiceLabels(turn));
            case QA_CHN -> AnswerMatch.characterF1(prediction, labels);
            case SUMMARY -> RougeLsum.fMeasure(prediction, labels.getFirst());
            case REPOQA -> RepoQaMatch.score(prediction, needleName(turn, turnIndex), needles(task, session));
            case SUMMARY_WITH_NEEDLES, REPOQA_AND_KV -> throw new IllegalStateException("a mixed task scores by sub-task");
        };
    }

    /**
     * The turn's score under a stricter rule than SCBench's where one is recorded next to it (ICL.ManyShot: the
     * first option in the answer), else null.
     */
    public static Double strictScore(ScTask task, ScSession session, int turnIndex, String prediction) {
        ScTurn turn = session.turns().get(turnIndex);
        return task.subTask(turn) == ScTask.MANY_SHOT ? AnswerMatch.firstOption(prediction, turn.labels().getFirst()) : null;
    }

    /** The option text and its letter, as InfiniteBench's choice labels read. */
    static List<String> choiceLabels(ScTurn turn) {
        List<String> labels = new ArrayList<>(turn.labels());
        if (turn.options() != null) {
            int at = turn.options().indexOf(labels.getFirst());
            if (at >= 0) {
                labels.add(String.valueOf((char) ('A' + at)));
            }
        }
        return labels;
    }

    /** Every RepoQA turn's function of the session: the candidates a prediction is matched against. */
    private static List<RepoQaMatch.Needle> needles(ScTask task, ScSession session) {
        List<RepoQaMatch.Needle> needles = new ArrayList<>();
        for (int i = 0; i < session.turns().size(); i++) {
            ScTurn t = session.turns().get(i);
            if (task.subTask(t) == ScTask.REPOQA) {
                needles.add(new RepoQaMatch.Needle(needleName(t, i), t.goldText()));
            }
        }
        return needles;
    }

    private static String needleName(ScTurn turn, int index) {
        return turn.name() != null ? turn.name() : "turn " + index;
    }
}
