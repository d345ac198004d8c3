package io.longkv.bench.scbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.bench.scbench.Category;
import io.longkv.bench.scbench.run.TurnRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Aggregation and the three report formats on hand-made records. */
class ReportsTest {
    private static TurnRecord record(String method, String task, String mode, int turn, double score, double logProb, long hot) {
        return new TurnRecord(method, task, task, mode, task + "-s", turn, score, null, "out", "gold", 100, 0, 10, 90, 0.5, 8, 20,
                4, logProb, hot, 0, 110, hot / 1000.0, 0.5, null);
    }

    private static List<TurnRecord> records() {
        List<TurnRecord> r = new ArrayList<>();
        for (String mode : List.of("multi-turn", "multi-request")) {
            r.add(record("full:dtype=f32,flash=auto", "kv", mode, 1, 1, -0.5, 1000));
            r.add(record("full:dtype=f32,flash=auto", "kv", mode, 2, 1, -0.5, 1000));
            r.add(record("full:dtype=f32,flash=auto", "vt", mode, 1, 0.5, -1.0, 1000));
            r.add(record("full:dtype=f32,flash=auto", "passkey", mode, 1, 0, -1.0, 1000));
            r.add(record("snapkv:budget=8", "kv", mode, 1, 1, -1.5, 250));
            r.add(record("snapkv:budget=8", "kv", mode, 2, 0, -2.5, 250));
            r.add(record("snapkv:budget=8", "vt", mode, 1, 0, -1.0, 250));
            r.add(record("snapkv:budget=8", "passkey", mode, 1, 1, -1.0, 250));
        }
        return r;
    }

    @Test
    void summaryAveragesTasksAndComparesWithFull() {
        Summary s = new Summary(records());
        assertEquals(List.of("full:dtype=f32,flash=auto", "snapkv:budget=8"), s.methods());
        assertEquals(List.of("kv", "vt", "passkey"), s.tasks());
        assertEquals(0.5, s.of("snapkv:budget=8", "kv", "multi-turn").accuracy());
        // delta: turn 1 -1.5 - -0.5, turn 2 -2.5 - -0.5 -> mean -1.5
        assertEquals(-1.5, s.of("snapkv:budget=8", "kv", "multi-turn").goldLogProbDelta(), 1e-12);
        assertEquals(0.0, s.of("full:dtype=f32,flash=auto", "kv", "multi-turn").goldLogProbDelta(), 1e-12);
        // string retrieval = mean of kv (1.0) and vt (0.5); the passkey extra stays out of the paper mean
        assertEquals(0.75, s.categoryMean("full:dtype=f32,flash=auto", "multi-turn", Category.STRING_RETRIEVAL), 1e-12);
        assertEquals(0.75, s.paperMean("full:dtype=f32,flash=auto", "multi-turn"), 1e-12);
        assertEquals(0.0, s.categoryMean("full:dtype=f32,flash=auto", "multi-turn", Category.NEEDLE), 1e-12);
        assertTrue(Double.isNaN(s.categoryMean("full:dtype=f32,flash=auto", "multi-turn", Category.GLOBAL)));
        // turn 1: kv 1, vt 0, passkey 1 -> 2/3 over tasks; turn 2: only kv, 0
        List<Double> curve = s.perTurnAccuracy("snapkv:budget=8", "multi-turn");
        assertEquals(2.0 / 3, curve.get(0), 1e-12);
        assertEquals(0.0, curve.get(1), 1e-12);
    }

    @Test
    void manyShotReportsTheStrictScoreNextToTheLenientOne() {
        List<TurnRecord> r = new ArrayList<>();
        for (int turn = 1; turn <= 2; turn++) {
            // Lenient hits both times; strictly only turn 1 (turn 2's answer listed another option first).
            r.add(new TurnRecord("full:dtype=f32,flash=auto", "many_shot", "many_shot", "multi-turn", "m-s", turn, 1, turn == 1 ? 1.0 : 0.0,
                    "out", "(C)", 100, 0, 10, 90, 0.5, 8, 20, 4, -1, 1000, 0, 110, 1, 0.5, null));
        }
        Summary s = new Summary(r);
        assertEquals(1.0, s.of("full:dtype=f32,flash=auto", "many_shot", "multi-turn").accuracy());
        assertEquals(0.5, s.of("full:dtype=f32,flash=auto", "many_shot", "multi-turn").strictAccuracy());
        assertTrue(CsvReport.render(s).contains("many_shot,multi-turn,2,1,1,0,"), CsvReport.render(s));
        assertTrue(MarkdownReport.render(s, null).contains("scored strictly") && MarkdownReport.render(s, null).contains("multi-turn 50.0"),
                MarkdownReport.render(s, null));
        assertFalse(MarkdownReport.render(new Summary(records()), null).contains("scored strictly"), "only when the run has ICL.ManyShot");
    }

    @Test
    void reportsHoldEveryMethodAndNoExternalResource() {
        Summary s = new Summary(records());
        String csv = CsvReport.render(s);
        assertEquals(1 + 2 * 2 * 4, csv.lines().count(), csv);
        assertTrue(csv.contains("\"snapkv:budget=8\",kv,multi-turn,2,1,0,,-2.5,-2,250,"), csv);
        String md = MarkdownReport.render(s, "longkv bench scbench --kv full");
        assertTrue(md.contains("| snapkv:budget=8 | multi-turn | 50.0 | 0.0 | 100.0 |"), md);
        String html = HtmlReport.render(s, "longkv bench scbench --kv full");
        assertTrue(html.contains("<svg") && html.contains("<table>"), "charts and tables");
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http"), "nothing is fetched");
        assertFalse(html.contains("<script"), "no scripts");
    }
}
