package io.longkv.bench.scbench.run;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import java.util.List;

/** The sessions to run of one task. */
public record TaskSessions(ScTask task, List<ScSession> sessions) {
    public TaskSessions {
        sessions = List.copyOf(sessions);
    }
}
