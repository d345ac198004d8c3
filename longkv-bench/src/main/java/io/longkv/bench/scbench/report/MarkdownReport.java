package io.longkv.bench.scbench.report;

import io.longkv.bench.scbench.Category;
import io.longkv.bench.scbench.ScTask;

/** {@code summary.md}: accuracy per task, the category means, and memory / speed per method and mode. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(Summary s, String command) {
        StringBuilder out = new StringBuilder("# Shared-context benchmark\n\n");
        if (command != null) {
            out.append("`").append(command).append("`\n\n");
        }
        out.append("Accuracy (%) per task, mean over sessions and turns:\n\n");
        out.append(accuracyTable(s)).append('\n');
        out.append(strictLine(s));
        out.append("Category means (%), each task weighing the same; *paper mean* averages the tasks of SCBench's four groups:\n\n");
        out.append(categoryTable(s)).append('\n');
        out.append("Memory and speed (means over turns; peak KV over the run):\n\n");
        out.append(costTable(s));
        return out.toString();
    }

    public static String accuracyTable(Summary s) {
        StringBuilder header = new StringBuilder("| method | mode |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String task : s.tasks()) {
            header.append(' ').append(task).append(" |");
            rule.append("---:|");
        }
        StringBuilder out = new StringBuilder(header).append('\n').append(rule).append('\n');
        for (String method : s.methods()) {
            for (String mode : s.modes()) {
                out.append("| ").append(method).append(" | ").append(mode).append(" |");
                for (String task : s.tasks()) {
                    out.append(' ').append(Format.percent(s.of(method, task, mode).accuracy())).append(" |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** ICL.ManyShot under the strict rule next to SCBench's lenient one, when the run has it. */
    static String strictLine(Summary s) {
        String task = ScTask.MANY_SHOT.shortName();
        if (!s.tasks().contains(task)) {
            return "";
        }
        StringBuilder out = new StringBuilder("ICL.ManyShot scored strictly (the first \"(X)\" in the answer must be the gold "
                + "option; the table counts the gold letter anywhere, as SCBench does):");
        for (String method : s.methods()) {
            for (String mode : s.modes()) {
                out.append(' ').append(method).append(' ').append(mode).append(' ')
                        .append(Format.percent(s.of(method, task, mode).strictAccuracy())).append(';');
            }
        }
        out.setLength(out.length() - 1);
        return out.append(".\n\n").toString();
    }

    static String categoryTable(Summary s) {
        StringBuilder out = new StringBuilder("| method | mode |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (Category c : Category.values()) {
            out.append(' ').append(c.label()).append(" |");
            rule.append("---:|");
        }
        out.append(" paper mean |\n").append(rule).append("---:|\n");
        for (String method : s.methods()) {
            for (String mode : s.modes()) {
                out.append("| ").append(method).append(" | ").append(mode).append(" |");
                for (Category c : Category.values()) {
                    out.append(' ').append(Format.percent(s.categoryMean(method, mode, c))).append(" |");
                }
                out.append(' ').append(Format.percent(s.paperMean(method, mode))).append(" |\n");
            }
        }
        return out.toString();
    }

    static String costTable(Summary s) {
        StringBuilder out = new StringBuilder("| method | mode | peak KV hot MiB | peak KV cold MiB | memory ratio | read ratio | "
                + "TTFT s | decode tok/s | reused tokens/turn | gold log-prob | Δ vs full |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String method : s.methods()) {
            for (String mode : s.modes()) {
                Metrics m = s.ofMethod(method, mode);
                out.append("| ").append(method).append(" | ").append(mode).append(" | ").append(Format.mib(m.kvHotPeak()))
                        .append(" | ").append(Format.mib(m.kvColdPeak())).append(" | ").append(Format.number(m.memoryRatio(), 3))
                        .append(" | ").append(Format.number(m.readRatio(), 3)).append(" | ").append(Format.number(m.ttftSeconds(), 2))
                        .append(" | ").append(Format.number(m.decodeTokensPerSecond(), 1)).append(" | ")
                        .append(Format.number(m.reusedTokens(), 0)).append(" | ").append(Format.number(m.goldLogProb(), 3))
                        .append(" | ").append(Format.signed(m.goldLogProbDelta(), 3)).append(" |\n");
            }
        }
        return out.toString();
    }
}
