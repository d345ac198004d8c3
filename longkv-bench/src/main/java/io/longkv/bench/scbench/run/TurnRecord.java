package io.longkv.bench.scbench.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of {@code results.jsonl}: a turn of one session under one KV method and mode, scored and measured.
 *
 * @param method the KV spec
 * @param task the task's short name; {@code subTask} is what the turn was scored as (differs in the mixed tasks)
 * @param turn 1-based turn index (the request index in multi-request mode)
 * @param score in [0, 1]
 * @param strictScore the score under a stricter rule where the task has one (ICL.ManyShot's first option; else null, not written)
 * @param contextTokens the context segment's tokens (after any truncation)
 * @param memoryRatio peak KV bytes over what a full f32 cache holds for the same positions (in whole blocks)
 * @param readRatio KV bytes read per decode step over a full f32 cache's bytes at that length (-1: no decode step)
 * @param promptTail the last tokens the turn's prompt ends with, as text (with {@code --trace}; else null and not written)
 */
public record TurnRecord(String method, String task, String subTask, String mode, String session, int turn, double score,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Double strictScore, String prediction, String gold, int contextTokens, int truncatedTokens, int promptTokens,
                         long reusedTokens, double ttftSeconds, int generatedTokens, double decodeTokensPerSecond,
                         int goldTokens, double goldLogProb, long kvHotBytes, long kvColdBytes, int kvLength,
                         double memoryRatio, double readRatio,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String promptTail) {

    /** The unit a run resumes by: every turn of one session in one mode under one method. */
    public String unitKey() {
        return unitKey(method, task, session, mode);
    }

    public static String unitKey(String method, String task, String session, String mode) {
        return method + "|" + task + "|" + session + "|" + mode;
    }
}
