package io.longkv.bench.speed;

import io.longkv.engine.Engine;
import io.longkv.engine.EngineStats;
import io.longkv.engine.Session;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import java.util.Random;

/**
 * Time to first token of two requests over the same context on one engine: the first computes the whole
 * prompt (cold), the second starts from the prefix cache (warm) and computes only its own question.
 */
public final class PrefixReuseBenchmark {
    /**
     * @param coldSeconds prompt time of the first request (context + question)
     * @param warmSeconds prompt time of the second request (same context, another question)
     * @param reusedTokens context tokens the second request took from the prefix cache
     */
    public record Result(String kv, int contextTokens, int questionTokens, double coldSeconds, double warmSeconds,
                         long reusedTokens) {
        public double speedup() {
            return coldSeconds / warmSeconds;
        }
    }

    private PrefixReuseBenchmark() {
    }

    public static Result run(Model model, KvSpec kv, long kvMemory, int chunk, int contextTokens, int questionTokens) {
        Engine engine = new Engine(model, kv, kvMemory);
        Random random = new Random(7);
        int vocab = model.config().vocabSize();
        int[] context = random.ints(contextTokens, 0, vocab).toArray();
        int total = contextTokens + questionTokens;
        double cold = timeFirstToken(engine, total, chunk, context, random.ints(questionTokens, 0, vocab).toArray());
        double warm = timeFirstToken(engine, total, chunk, context, random.ints(questionTokens, 0, vocab).toArray());
        EngineStats stats = engine.stats();
        return new Result(kv.toString(), contextTokens, questionTokens, cold, warm, stats.reusedTokens());
    }

    private static double timeFirstToken(Engine engine, int contextLength, int chunk, int[] context, int[] question) {
        int[] prompt = new int[context.length + question.length];
        System.arraycopy(context, 0, prompt, 0, context.length);
        System.arraycopy(question, 0, prompt, context.length, question.length);
        try (Session session = engine.newSession(contextLength, chunk)) {
            long start = System.nanoTime();
            session.append(prompt);
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
