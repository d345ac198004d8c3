package io.longkv.bench.scbench;

/** SCBench's capability groups; {@link #NEEDLE} holds the extra passkey / RULER tasks, outside the paper's means. */
public enum Category {
    STRING_RETRIEVAL("string retrieval"),
    SEMANTIC_RETRIEVAL("semantic retrieval"),
    GLOBAL("global information"),
    MULTI_TASK("multi-tasking"),
    NEEDLE("needles (extra)");

    private final String label;

    Category(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the paper's category means include this group. */
    public boolean inPaper() {
        return this != NEEDLE;
    }
}
