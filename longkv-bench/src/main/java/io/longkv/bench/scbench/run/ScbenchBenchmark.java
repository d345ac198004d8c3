package io.longkv.bench.scbench.run;

import io.longkv.bench.scbench.data.ScSession;
import io.longkv.engine.Engine;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.tokenizer.ChatTemplate;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Runs every session of every task under every KV method and mode, appending each finished unit to the
 * result log and skipping units it already holds. Per session, multi-request mode runs first: its context
 * prefill goes into the engine's prefix cache, so multi-turn mode's first prompt reuses it (for methods whose
 * cache can be truncated back to a block boundary).
 */
public final class ScbenchBenchmark {
    /** Hears about progress. */
    public interface Listener {
        void methodStarted(KvSpec spec, int units);

        /** A unit finished now ({@code skipped}: it was already in the log). */
        void unitDone(String description, boolean skipped);
    }

    private final Model model;
    private final ChatTemplate template;
    private final ScbenchConfig config;

    public ScbenchBenchmark(Model model, ChatTemplate template, ScbenchConfig config) {
        this.model = model;
        this.template = template;
        this.config = config;
    }

    public void run(ResultLog log, Listener listener) throws IOException {
        Set<String> finished = log.finishedUnits();
        List<Mode> modes = config.modes().stream().sorted(Comparator.comparing((Mode m) -> m != Mode.MULTI_REQUEST)).toList();
        for (KvSpec spec : config.specs()) {
            listener.methodStarted(spec, config.unitsPerMethod());
            Engine engine = new Engine(model, spec, Engine.defaultMemoryBudget());
            SessionRunner runner = new SessionRunner(engine, config.contextLength(), config.chunk(), config.maxNewTokensCap(),
                    config.traceTokens());
            for (TaskSessions task : config.tasks()) {
                for (ScSession session : task.sessions()) {
                    PromptPlan plan = null;
                    for (Mode mode : modes) {
                        String unit = TurnRecord.unitKey(spec.toString(), task.task().shortName(), session.id(), mode.label());
                        String description = task.task().shortName() + " " + session.id() + " " + mode.label();
                        if (finished.contains(unit)) {
                            listener.unitDone(description, true);
                            continue;
                        }
                        if (plan == null) {
                            plan = PromptPlan.build(task.task(), session, model.tokenizer(), template, config.contextLength(),
                                    maxDecodeLimit(task, session));
                        }
                        log.append(runner.run(task.task(), session, plan, mode));
                        listener.unitDone(description, false);
                    }
                    engine.clearPrefixCache();
                }
            }
        }
    }

    private int maxDecodeLimit(TaskSessions task, ScSession session) {
        return session.turns().stream().mapToInt(t -> Math.min(task.task().maxNewTokens(t), config.maxNewTokensCap())).max()
                .orElse(0);
    }
}
