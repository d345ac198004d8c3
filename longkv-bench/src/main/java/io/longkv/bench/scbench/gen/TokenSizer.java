package io.longkv.bench.scbench.gen;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.TaskPrompts;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import io.longkv.tokenizer.Tokenizer;
import java.util.Random;

/**
 * Sizes a generated session by the model's tokenizer: the largest unit count whose whole multi-turn session
 * (instruction, context, every query and gold answer, the last turn's decode limit, and an allowance for the
 * chat template's markers) fits in the target.
 */
public final class TokenSizer {
    /** Chat-template markers per turn (role headers and end-of-turn tokens). */
    static final int TEMPLATE_TOKENS_PER_TURN = 12;

    private final Tokenizer tokenizer;
    private final int maxNewTokensCap;

    /** @param maxNewTokensCap the run's cap on a turn's decode limit (see {@code --max-new-tokens}) */
    public TokenSizer(Tokenizer tokenizer, int maxNewTokensCap) {
        this.tokenizer = tokenizer;
        this.maxNewTokensCap = maxNewTokensCap;
    }

    public ScSession generate(SessionGenerator generator, String id, long seed, int targetTokens) {
        int low = 1;
        if (tokens(generator, id, seed, low) > targetTokens) {
            throw new LengthTooShortException(generator.task().shortName() + ": even the smallest session exceeds "
                    + targetTokens + " tokens; raise --length");
        }
        int high = Math.max(2, generator.guessUnits(targetTokens));
        while (tokens(generator, id, seed, high) <= targetTokens) {
            low = high;
            high *= 2;
        }
        while (high - low > 1) {
            int mid = (low + high) >>> 1;
            if (tokens(generator, id, seed, mid) <= targetTokens) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return generator.generate(id, new Random(seed), low);
    }

    int tokens(SessionGenerator generator, String id, long seed, int units) {
        return tokens(generator.task(), generator.generate(id, new Random(seed), units));
    }

    /** Tokens a multi-turn run of {@code session} needs at most. */
    public int tokens(ScTask task, ScSession session) {
        int total = count(TaskPrompts.head(task, session) + session.contextText());
        int lastLimit = 0;
        for (ScTurn turn : session.turns()) {
            total += count(TaskPrompts.followUpQuery(task, turn)) + count(turn.goldText()) + TEMPLATE_TOKENS_PER_TURN;
            lastLimit = Math.min(task.maxNewTokens(turn), maxNewTokensCap);
        }
        return total + lastLimit;
    }

    private int count(String text) {
        return tokenizer.encode(text, false).length;
    }
}
