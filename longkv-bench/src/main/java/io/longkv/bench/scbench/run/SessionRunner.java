package io.longkv.bench.scbench.run;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import io.longkv.bench.scbench.score.TurnScorer;
import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs one session in one mode on an engine and scores every turn. */
final class SessionRunner {
    private final Engine engine;
    private final int contextLength;
    private final int chunk;
    private final int maxNewTokensCap;
    private final int traceTokens;
    private final double fullBytesPerToken;

    SessionRunner(Engine engine, int contextLength, int chunk, int maxNewTokensCap, int traceTokens) {
        this.engine = engine;
        this.contextLength = contextLength;
        this.chunk = chunk;
        this.maxNewTokensCap = maxNewTokensCap;
        this.traceTokens = traceTokens;
        ModelConfig c = engine.model().config();
        this.fullBytesPerToken = 2.0 * c.blockCount() * c.headCountKv() * c.headDim() * Float.BYTES;
    }

    List<TurnRecord> run(ScTask task, ScSession session, PromptPlan plan, Mode mode) {
        List<TurnRecord> records = new ArrayList<>();
        try (Session shared = engine.newSession(contextLength, chunk)) {
            if (mode == Mode.MULTI_REQUEST) {
                // Only the context: a method compresses at this prefill's end without seeing any query.
                shared.append(plan.context());
            }
            for (int t = 0; t < session.turns().size(); t++) {
                ScTurn turn = session.turns().get(t);
                int maxNew = Math.min(task.maxNewTokens(turn), maxNewTokensCap);
                TurnMeasure m;
                if (mode == Mode.MULTI_REQUEST) {
                    try (Session request = shared.fork()) {
                        m = TurnRunner.run(request, plan.requests().get(t), maxNew, plan.golds().get(t));
                    }
                } else {
                    m = TurnRunner.run(shared, t == 0 ? plan.firstPrompt() : plan.followUps().get(t), maxNew, plan.golds().get(t));
                }
                records.add(record(task, session, t, mode, plan, m));
            }
        }
        return records;
    }

    private TurnRecord record(ScTask task, ScSession session, int t, Mode mode, PromptPlan plan, TurnMeasure m) {
        ScTurn turn = session.turns().get(t);
        double full = m.kvLength() * fullBytesPerToken;
        // The full cache holds whole blocks, so a method's memory is set against those, not the bare positions.
        int blockTokens = engine.blocks().blockTokens();
        double fullHeld = Math.ceilDiv(m.kvLength(), blockTokens) * (double) blockTokens * fullBytesPerToken;
        double readRatio = m.readBytesPerStep() < 0 ? -1 : m.readBytesPerStep() / full;
        return new TurnRecord(engine.spec().toString(), task.shortName(), task.subTask(turn).shortName(), mode.label(),
                session.id(), t + 1, TurnScorer.score(task, session, t, m.prediction()),
                TurnScorer.strictScore(task, session, t, m.prediction()), m.prediction(), turn.goldText(),
                plan.context().length, plan.truncatedTokens(), m.promptTokens(), m.reusedTokens(), m.ttftSeconds(),
                m.generatedTokens(), m.decodeTokensPerSecond(), m.goldTokens(), m.goldLogProb(), m.kvHotBytes(),
                m.kvColdBytes(), m.kvLength(), (m.kvHotBytes() + m.kvColdBytes()) / fullHeld, readRatio,
                promptTail(plan, mode, t));
    }

    /** The end of what the model read before answering, to see the prompt an answer came from. */
    private String promptTail(PromptPlan plan, Mode mode, int turn) {
        if (traceTokens == 0) {
            return null;
        }
        int[] seen = plan.history(mode, turn);
        int from = Math.max(0, seen.length - traceTokens);
        return engine.model().tokenizer().decode(Arrays.copyOfRange(seen, from, seen.length));
    }
}
