package io.longkv.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import java.util.Random;

/** Session-level properties every KV method must keep, checked on a tiny model's engine. */
public final class SessionChecks {
    private SessionChecks() {
    }

    /**
     * A prompt of {@code promptTokens}, a decoded turn rolled back, then a second turn: the logits equal those of a
     * session that never decoded, and a fork taken after the prompt does not see the decoded turn.
     */
    public static void rollbackAndForkAreExact(Engine engine, Random random, int promptTokens) {
        int[] first = tokens(random, promptTokens);
        int[] second = tokens(random, 30);
        try (Session a = engine.newSession(512, 32); Session b = engine.newSession(512, 32)) {
            a.append(first);
            Session.Checkpoint afterPrompt = a.checkpoint();
            Session fork = a.fork();
            for (int t : tokens(random, 20)) {
                a.append(t);
            }
            a.rollback(afterPrompt);
            a.append(second);
            b.append(first);
            b.append(second);
            assertArrayEquals(b.logits(), a.logits(), 1e-5f, "rolled back then continued = never decoded");
            fork.append(second);
            assertArrayEquals(b.logits(), fork.logits(), 1e-5f, "the fork did not see the decoded turn");
            fork.close();
        }
    }

    /** Random token ids below 256 (the tiny models' byte tokens). */
    public static int[] tokens(Random random, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = random.nextInt(256);
        }
        return t;
    }
}
