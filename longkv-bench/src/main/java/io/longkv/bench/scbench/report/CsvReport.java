package io.longkv.bench.scbench.report;

import java.util.StringJoiner;

/** {@code summary.csv}: one row per method x task x mode x turn, means over sessions. */
public final class CsvReport {
    private CsvReport() {
    }

    public static String render(Summary s) {
        StringBuilder out = new StringBuilder("method,task,mode,turn,turns_scored,accuracy,strict_accuracy,gold_logprob,gold_logprob_delta_vs_full,"
                + "kv_hot_peak_bytes,kv_cold_peak_bytes,memory_ratio,read_ratio,ttft_s,decode_tokens_per_s,reused_tokens\n");
        for (String method : s.methods()) {
            for (String task : s.tasks()) {
                for (String mode : s.modes()) {
                    for (int turn = 1; turn <= s.turns(task, mode); turn++) {
                        Metrics m = s.ofTurn(method, task, mode, turn);
                        if (m.turns() == 0) {
                            continue;
                        }
                        StringJoiner row = new StringJoiner(",");
                        row.add(quote(method)).add(task).add(mode).add(Integer.toString(turn)).add(Integer.toString(m.turns()))
                                .add(Format.compact(m.accuracy(), 6)).add(Format.compact(m.strictAccuracy(), 6))
                                .add(Format.compact(m.goldLogProb(), 6)).add(Format.compact(m.goldLogProbDelta(), 6))
                                .add(Long.toString(m.kvHotPeak())).add(Long.toString(m.kvColdPeak())).add(Format.compact(m.memoryRatio(), 6))
                                .add(Format.compact(m.readRatio(), 6)).add(Format.compact(m.ttftSeconds(), 6)).add(Format.compact(m.decodeTokensPerSecond(), 6))
                                .add(Format.compact(m.reusedTokens(), 6));
                        out.append(row).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    /** Specs hold ';' and ',' (per-layer rules, parameters). */
    private static String quote(String field) {
        return "\"" + field.replace("\"", "\"\"") + "\"";
    }
}
