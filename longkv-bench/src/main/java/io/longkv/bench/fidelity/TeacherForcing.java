package io.longkv.bench.fidelity;

import io.longkv.engine.Session;
import io.longkv.sampling.Logits;
import java.util.Arrays;

/**
 * The teacher-forced part, run in lockstep so no distribution is stored: every session prefills the same
 * prompt (the method compresses at its end, as in use), then is fed the scored tokens one decode step at a
 * time; at each step every method's next-token distribution is compared with the reference's.
 */
final class TeacherForcing {
    /** Sums per method over the scored positions. */
    static final class Totals {
        double nll;
        double kl;
        int agree;
        double seconds;
    }

    private TeacherForcing() {
    }

    /** {@code sessions[reference]} is the full cache; returns one total per session. */
    static Totals[] run(Session[] sessions, int reference, int[] text, int scored) {
        int promptLength = text.length - scored;
        int[] prompt = Arrays.copyOf(text, promptLength);
        Totals[] totals = new Totals[sessions.length];
        for (int m = 0; m < sessions.length; m++) {
            totals[m] = new Totals();
            long start = System.nanoTime();
            sessions[m].append(prompt);
            totals[m].seconds += (System.nanoTime() - start) / 1e9;
        }
        int vocab = sessions[reference].model().config().vocabSize();
        double[] refLogProbs = new double[vocab];
        for (int t = 0; t < scored; t++) {
            int target = text[promptLength + t];
            float[] ref = sessions[reference].logits();
            double refLse = Logits.logSumExp(ref, 0, vocab);
            for (int v = 0; v < vocab; v++) {
                refLogProbs[v] = ref[v] - refLse;
            }
            int refTop = Logits.argmaxAt(ref, 0, vocab);
            for (int m = 0; m < sessions.length; m++) {
                float[] logits = sessions[m].logits();
                double lse = Logits.logSumExp(logits, 0, vocab);
                totals[m].nll += lse - logits[target];
                totals[m].kl += klDivergence(refLogProbs, logits, lse);
                totals[m].agree += Logits.argmaxAt(logits, 0, vocab) == refTop ? 1 : 0;
            }
            if (t + 1 < scored) {
                for (int m = 0; m < sessions.length; m++) {
                    long start = System.nanoTime();
                    sessions[m].append(target);
                    totals[m].seconds += (System.nanoTime() - start) / 1e9;
                }
            }
        }
        return totals;
    }

    /** KL(p || q) with p given as log-probabilities and q as logits with their log-sum-exp. */
    private static double klDivergence(double[] logP, float[] logits, double lse) {
        double kl = 0;
        for (int v = 0; v < logP.length; v++) {
            double p = Math.exp(logP[v]);
            if (p > 0) {
                kl += p * (logP[v] - (logits[v] - lse));
            }
        }
        return Math.max(0, kl);
    }
}
