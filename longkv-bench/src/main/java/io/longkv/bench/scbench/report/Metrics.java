package io.longkv.bench.scbench.report;

import io.longkv.bench.scbench.run.TurnRecord;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Means over a group of turn records.
 *
 * @param goldLogProbDelta mean (this method's gold log-probability minus the reference's) over the turns both
 *                         ran, NaN without a reference
 * @param strictAccuracy mean strict score over the turns that have one (ICL.ManyShot), NaN when none has
 * @param readRatio mean over turns that decoded at least one step, NaN when none did
 * @param decodeTokensPerSecond mean over turns that decoded more than one token
 */
public record Metrics(int turns, double accuracy, double strictAccuracy, double goldLogProb, double goldLogProbDelta, long kvHotPeak, long kvColdPeak,
                      double memoryRatio, double readRatio, double ttftSeconds, double decodeTokensPerSecond,
                      double reusedTokens) {

    /** @param reference the reference method's records by {@link #matchKey} (empty: no deltas) */
    static Metrics of(List<TurnRecord> records, Map<String, TurnRecord> reference) {
        List<Double> deltas = records.stream().filter(r -> reference.containsKey(matchKey(r)))
                .map(r -> r.goldLogProb() - reference.get(matchKey(r)).goldLogProb()).toList();
        return new Metrics(records.size(), mean(records, TurnRecord::score),
                mean(records.stream().filter(r -> r.strictScore() != null).toList(), TurnRecord::strictScore),
                mean(records, TurnRecord::goldLogProb),
                deltas.isEmpty() ? Double.NaN : deltas.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                records.stream().mapToLong(TurnRecord::kvHotBytes).max().orElse(0),
                records.stream().mapToLong(TurnRecord::kvColdBytes).max().orElse(0),
                mean(records, TurnRecord::memoryRatio),
                mean(records.stream().filter(r -> r.readRatio() >= 0).toList(), TurnRecord::readRatio),
                mean(records, TurnRecord::ttftSeconds),
                mean(records.stream().filter(r -> r.generatedTokens() > 1).toList(), TurnRecord::decodeTokensPerSecond),
                mean(records, TurnRecord::reusedTokens));
    }

    /** What identifies the same turn under another method. */
    static String matchKey(TurnRecord r) {
        return r.task() + "|" + r.session() + "|" + r.mode() + "|" + r.turn();
    }

    static double mean(List<TurnRecord> records, ToDoubleFunction<TurnRecord> value) {
        return records.stream().mapToDouble(value).average().orElse(Double.NaN);
    }
}
