package io.longkv.bench.scbench.run;

import io.longkv.kv.KvSpec;
import java.util.List;

/**
 * What a shared-context run does.
 *
 * @param contextLength each session's window (tokens)
 * @param maxNewTokensCap a cap on SCBench's per-task decode limits
 * @param traceTokens how many of each turn's last prompt tokens a result record shows as text (0: none)
 */
public record ScbenchConfig(List<KvSpec> specs, List<TaskSessions> tasks, List<Mode> modes, int contextLength, int chunk,
                            int maxNewTokensCap, int traceTokens) {
    public ScbenchConfig {
        if (specs.isEmpty() || tasks.isEmpty() || modes.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one KV method, task and mode");
        }
        if (maxNewTokensCap < 1) {
            throw new IllegalArgumentException("--max-new-tokens must be positive");
        }
        if (traceTokens < 0) {
            throw new IllegalArgumentException("--trace must not be negative");
        }
        specs = List.copyOf(specs);
        tasks = List.copyOf(tasks);
        modes = List.copyOf(modes);
    }

    /** Units of work per method: every session in every mode. */
    public int unitsPerMethod() {
        return tasks.stream().mapToInt(t -> t.sessions().size()).sum() * modes.size();
    }
}
