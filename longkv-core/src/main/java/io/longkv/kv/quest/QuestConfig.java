package io.longkv.kv.quest;

/**
 * A Quest layer's page budget: pages of {@code pageTokens} tokens, {@code budgetPages} attended per decode step,
 * of which the first {@code sinkPages} and the last {@code recentPages} always are; {@code perHead}: each query
 * head picks its own pages (else one pick per KV head).
 */
record QuestConfig(int pageTokens, int budgetPages, int sinkPages, int recentPages, boolean perHead) {
}
