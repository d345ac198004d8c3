package io.longkv.bench.scbench.run;

import io.longkv.engine.GenerationResult;
import io.longkv.engine.Generator;
import io.longkv.engine.Session;
import io.longkv.kv.KvMemory;
import io.longkv.sampling.Logits;
import io.longkv.sampling.Sampler;
import io.longkv.sampling.SamplingParams;
import java.util.List;

/**
 * One turn on a session: prefill the prompt, teacher-force the gold answer on a fork (so the decode path of
 * the method is what is measured), decode greedily, and roll the decoded tokens back.
 */
final class TurnRunner {
    private TurnRunner() {
    }

    static TurnMeasure run(Session session, int[] prompt, int maxNewTokens, int[] gold) {
        long reusedBefore = session.engine().stats().reusedTokens();
        int history = session.length();
        long start = System.nanoTime();
        session.append(prompt);
        double ttft = (System.nanoTime() - start) / 1e9;
        long reused = history + session.engine().stats().reusedTokens() - reusedBefore;
        Session.Checkpoint afterPrompt = session.checkpoint();
        KvMemory peak = session.cache().memory();
        int peakLength = session.length();

        double goldLogProb;
        try (Session fork = session.fork()) {
            goldLogProb = teacherForce(fork, gold);
        }

        long readBefore = session.cache().bytesRead();
        Sampler greedy = new Sampler(SamplingParams.greedy(), session.model().config().vocabSize());
        GenerationResult result = new Generator(session, greedy, List.of()).generate(new int[0], maxNewTokens, text -> { }, null);
        int steps = session.length() - afterPrompt.length();
        double readPerStep = steps > 0 ? (double) (session.cache().bytesRead() - readBefore) / steps : -1;
        KvMemory after = session.cache().memory();
        if (after.total() > peak.total()) {
            peak = after;
            peakLength = session.length();
        }
        session.rollback(afterPrompt);
        return new TurnMeasure(result.text(), prompt.length, reused, ttft, result.generatedTokens(),
                result.decodeTokensPerSecond(), gold.length, goldLogProb, peak.hot(), peak.cold(), peakLength, readPerStep);
    }

    /** Mean log-probability of the gold tokens, each fed as a decode step after the previous one. */
    static double teacherForce(Session session, int[] gold) {
        if (gold.length == 0) {
            return 0;
        }
        int vocab = session.model().config().vocabSize();
        double sum = 0;
        for (int i = 0; i < gold.length; i++) {
            float[] logits = session.logits();
            sum += logits[gold[i]] - Logits.logSumExp(logits, 0, vocab);
            if (i + 1 < gold.length) {
                session.append(gold[i]);
            }
        }
        return sum / gold.length;
    }
}
