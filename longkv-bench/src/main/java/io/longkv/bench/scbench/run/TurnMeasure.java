package io.longkv.bench.scbench.run;

/**
 * What one turn measured, besides its score.
 *
 * @param promptTokens tokens appended for this turn (the whole first prompt in turn 1)
 * @param reusedTokens tokens of the turn's history not computed by it: the session's earlier turns, the forked
 *                     shared context, or what the engine's prefix cache supplied
 * @param ttftSeconds time to the first token: the prompt's prefill (the first token is its argmax)
 * @param generatedTokens tokens decoded (an end-of-turn token included)
 * @param decodeTokensPerSecond decoded tokens per second
 * @param goldTokens gold-answer tokens teacher-forced (capped at {@link PromptPlan#MAX_GOLD_TOKENS})
 * @param goldLogProb mean natural-log probability of a gold token, fed one decode step at a time
 * @param kvHotBytes peak KV bytes in memory during the turn (shared blocks counted)
 * @param kvColdBytes peak KV bytes on disk during the turn
 * @param kvLength positions in the cache at that peak
 * @param readBytesPerStep KV bytes attention read per decode step, or -1 without decode steps
 */
public record TurnMeasure(String prediction, int promptTokens, long reusedTokens, double ttftSeconds, int generatedTokens,
                          double decodeTokensPerSecond, int goldTokens, double goldLogProb, long kvHotBytes, long kvColdBytes,
                          int kvLength, double readBytesPerStep) {
}
