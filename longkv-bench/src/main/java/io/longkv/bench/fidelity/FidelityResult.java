package io.longkv.bench.fidelity;

import java.util.Map;

/**
 * One KV method's fidelity against the full f32 cache.
 *
 * @param perplexity teacher-forced perplexity over the scored decode steps
 * @param perplexityDeltaPercent change against the full cache's perplexity, in percent
 * @param kl mean next-token KL(full || method) in nats over the scored positions
 * @param top1 fraction of scored positions whose argmax matches the full cache's
 * @param passkey accuracy per passkey prompt length (fraction of prompts whose answer holds the digits)
 * @param kvBytes KV memory held after the teacher-forced run (all layers, checkpoints included)
 * @param seconds wall time of this method's forward passes
 */
public record FidelityResult(String kv, double perplexity, double perplexityDeltaPercent, double kl, double top1,
                             Map<Integer, Double> passkey, long kvBytes, double seconds) {
}
