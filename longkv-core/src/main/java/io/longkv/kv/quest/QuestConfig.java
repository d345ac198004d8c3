package io.longkv.kv.quest;

/**
 * A Quest layer's page budget: pages of {@code pageTokens} tokens, {@code budgetPages} attended per decode step,
 * of which the first {@code sinkPages} and the last {@code recentPages} always are; {@code perHead}: each query
 * head picks its own pages (else one pick per KV head).
 */
record QuestConfig(int pageTokens, int budgetPages, int sinkPages, int recentPages, boolean perHead) {
    /** Pages that compete by their bound in a context of {@code pageCount} pages: those between the sinks and the recent pages. */
    int scoredPages(int pageCount) {
        return pageCount - sinkPages - recentPages;
    }

    /** Pages chosen by their bound, the rest of the budget. */
    int chosenPages() {
        return budgetPages - sinkPages - recentPages;
    }
}
