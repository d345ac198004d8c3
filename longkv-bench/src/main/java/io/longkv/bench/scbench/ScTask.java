package io.longkv.bench.scbench;

import io.longkv.bench.scbench.data.ScTurn;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * SCBench's tasks (named after its data files) plus passkey and three RULER needle tasks, with each one's capability group and
 * decode limit (SCBench's {@code max_new_tokens}). The mixed tasks take the limit of each turn's sub-task.
 */
public enum ScTask {
    KV("scbench_kv", Category.STRING_RETRIEVAL, 150),
    PREFIX_SUFFIX("scbench_prefix_suffix", Category.STRING_RETRIEVAL, 150),
    VT("scbench_vt", Category.STRING_RETRIEVAL, 30),
    REPOQA("scbench_repoqa", Category.SEMANTIC_RETRIEVAL, 1024),
    QA_ENG("scbench_qa_eng", Category.SEMANTIC_RETRIEVAL, 40),
    QA_CHN("scbench_qa_chn", Category.SEMANTIC_RETRIEVAL, 40),
    CHOICE_ENG("scbench_choice_eng", Category.SEMANTIC_RETRIEVAL, 40),
    MF("scbench_mf", Category.GLOBAL, 16),
    MANY_SHOT("scbench_many_shot", Category.GLOBAL, 10),
    SUMMARY("scbench_summary", Category.GLOBAL, 200),
    SUMMARY_WITH_NEEDLES("scbench_summary_with_needles", Category.MULTI_TASK, 800),
    REPOQA_AND_KV("scbench_repoqa_and_kv", Category.MULTI_TASK, 1024),
    PASSKEY("scbench_passkey", Category.NEEDLE, 15),
    NIAH("ruler_niah_multikey", Category.NEEDLE, 30),
    NIAH_MULTIVALUE("ruler_niah_multivalue", Category.NEEDLE, 50),
    NIAH_MULTIQUERY("ruler_niah_multiquery", Category.NEEDLE, 50);

    private final String fileName;
    private final Category category;
    private final int maxNewTokens;

    ScTask(String fileName, Category category, int maxNewTokens) {
        this.fileName = fileName;
        this.category = category;
        this.maxNewTokens = maxNewTokens;
    }

    /** The data file's base name, e.g. {@code scbench_kv} (SCBench's config name). */
    public String fileName() {
        return fileName;
    }

    /** The short name used on the command line and in reports, e.g. {@code kv}. */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Category category() {
        return category;
    }

    /** The decode limit of a turn: the sub-task's in the mixed tasks (SCBench's per-sub-task limits). */
    public int maxNewTokens(ScTurn turn) {
        ScTask sub = subTask(turn);
        return switch (this) {
            case SUMMARY_WITH_NEEDLES -> sub == SUMMARY ? 800 : PASSKEY.maxNewTokens;
            case REPOQA_AND_KV -> sub == KV ? 80 : REPOQA.maxNewTokens;
            default -> maxNewTokens;
        };
    }

    /** What a turn is scored as: its own sub-task in the mixed tasks, else this task. */
    public ScTask subTask(ScTurn turn) {
        if (this != SUMMARY_WITH_NEEDLES && this != REPOQA_AND_KV) {
            return this;
        }
        if (turn.task() == null) {
            throw new IllegalArgumentException(fileName + " turns need a 'task' field naming their sub-task");
        }
        ScTask sub = byName(turn.task());
        boolean allowed = this == SUMMARY_WITH_NEEDLES ? sub == SUMMARY || sub == PASSKEY : sub == REPOQA || sub == KV;
        if (!allowed) {
            throw new IllegalArgumentException(fileName + " has no sub-task '" + turn.task() + "'");
        }
        return sub;
    }

    /** A task by its short name ({@code kv}) or file name ({@code scbench_kv}). */
    public static ScTask byName(String name) {
        for (ScTask t : values()) {
            if (t.shortName().equals(name) || t.fileName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "'; tasks: "
                + Arrays.stream(values()).map(ScTask::shortName).collect(Collectors.joining(", ")));
    }
}
