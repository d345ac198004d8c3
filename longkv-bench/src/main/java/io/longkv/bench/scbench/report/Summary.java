package io.longkv.bench.scbench.report;

import io.longkv.bench.scbench.Category;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.run.TurnRecord;
import io.longkv.kv.KvSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A run's results grouped the ways the reports show them: per method x task x mode (x turn), the paper's
 * category means (each task weighs the same inside its category), and per-method totals.
 */
public final class Summary {
    /** The method every other is compared with when present. */
    public static final String REFERENCE = KvSpec.parse("full:dtype=f32").toString(); // canonical, as results name their spec

    private final List<TurnRecord> records;
    private final Map<String, TurnRecord> reference;
    private final List<String> methods;
    private final List<String> tasks;
    private final List<String> modes;

    public Summary(List<TurnRecord> records) {
        this.records = List.copyOf(records);
        this.reference = records.stream().filter(r -> r.method().equals(REFERENCE))
                .collect(Collectors.toMap(Metrics::matchKey, r -> r, (a, b) -> b));
        this.methods = distinct(records.stream().map(TurnRecord::method).toList());
        this.tasks = distinct(records.stream().map(TurnRecord::task).sorted((a, b) -> ScTask.byName(a).compareTo(ScTask.byName(b))).toList());
        this.modes = distinct(records.stream().map(TurnRecord::mode).sorted().toList());
    }

    public List<String> methods() {
        return methods;
    }

    public List<String> tasks() {
        return tasks;
    }

    public List<String> modes() {
        return modes;
    }

    public boolean hasReference() {
        return !reference.isEmpty();
    }

    public Metrics of(String method, String task, String mode) {
        return Metrics.of(select(method, task, mode, 0), reference);
    }

    public Metrics ofTurn(String method, String task, String mode, int turn) {
        return Metrics.of(select(method, task, mode, turn), reference);
    }

    /** Every turn of a method in a mode (null: both modes). */
    public Metrics ofMethod(String method, String mode) {
        return Metrics.of(select(method, null, mode, 0), reference);
    }

    /** The largest turn index seen in a task and mode. */
    public int turns(String task, String mode) {
        return records.stream().filter(r -> r.task().equals(task) && r.mode().equals(mode)).mapToInt(TurnRecord::turn).max().orElse(0);
    }

    /** Mean accuracy at each turn index over the tasks that have it (multi-turn curves). */
    public List<Double> perTurnAccuracy(String method, String mode) {
        int maxTurn = records.stream().mapToInt(TurnRecord::turn).max().orElse(0);
        List<Double> out = new ArrayList<>();
        for (int turn = 1; turn <= maxTurn; turn++) {
            List<Double> perTask = new ArrayList<>();
            for (String task : tasks) {
                List<TurnRecord> at = select(method, task, mode, turn);
                if (!at.isEmpty()) {
                    perTask.add(Metrics.mean(at, TurnRecord::score));
                }
            }
            out.add(perTask.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        }
        return out;
    }

    /** Mean task accuracy of a category (NaN when none of its tasks ran). */
    public double categoryMean(String method, String mode, Category category) {
        return tasks.stream().filter(t -> ScTask.byName(t).category() == category)
                .mapToDouble(t -> of(method, t, mode).accuracy()).filter(a -> !Double.isNaN(a)).average().orElse(Double.NaN);
    }

    /** Mean task accuracy over the tasks in the paper's categories. */
    public double paperMean(String method, String mode) {
        return tasks.stream().filter(t -> ScTask.byName(t).category().inPaper())
                .mapToDouble(t -> of(method, t, mode).accuracy()).filter(a -> !Double.isNaN(a)).average().orElse(Double.NaN);
    }

    private List<TurnRecord> select(String method, String task, String mode, int turn) {
        return records.stream().filter(r -> r.method().equals(method) && (task == null || r.task().equals(task))
                && (mode == null || r.mode().equals(mode)) && (turn == 0 || r.turn() == turn)).toList();
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values.stream().filter(Objects::nonNull).toList()));
    }
}
