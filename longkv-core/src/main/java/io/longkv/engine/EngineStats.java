package io.longkv.engine;

/**
 * An engine's counters.
 *
 * @param prefixHits prompts that started from a cached prefix
 * @param prefixMisses prompts of an empty session that found none
 * @param reusedTokens prompt tokens not recomputed thanks to the prefix cache
 * @param prefixEntries cached prefix states
 * @param prefixEvictions entries dropped to make room
 * @param kvBytesUsed bytes of KV storage reserved by all sessions and cached prefixes (each block once)
 * @param kvBytesBudget the engine's KV memory budget
 */
public record EngineStats(long prefixHits, long prefixMisses, long reusedTokens, int prefixEntries, long prefixEvictions,
                          long kvBytesUsed, long kvBytesBudget) {
}
