package io.longkv.bench.scbench.report;

import io.longkv.bench.scbench.Category;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** {@code report.html}: one self-contained page (inline SVG and CSS, nothing fetched) with the charts and tables. */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(Summary s, String command) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>LongKV shared-context "
                + "benchmark</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 7px;"
                + "text-align:right}td:first-child,th:first-child,td:nth-child(2){text-align:left}code{background:#f4f4f4}"
                + "</style></head><body><h1>Shared-context benchmark (SCBench protocol)</h1>");
        if (command != null) {
            html.append("<p><code>").append(SvgCharts.escape(command)).append("</code></p>");
        }
        html.append("<h2>Accuracy versus compression</h2><p>One point per method and mode. Memory ratio: peak KV bytes over a "
                + "full f32 cache of the same length. Read ratio: KV bytes attention reads per decode step over the same.</p>");
        html.append(accuracyVersus(s, "memory ratio", Metrics::memoryRatio));
        html.append(accuracyVersus(s, "read ratio", Metrics::readRatio));
        if (s.modes().contains("multi-turn")) {
            html.append("<h2>Accuracy per turn (multi-turn)</h2><p>Mean over tasks of the accuracy at each turn index.</p>");
            List<SvgCharts.Series> curves = new ArrayList<>();
            for (String method : s.methods()) {
                curves.add(new SvgCharts.Series(method, s.perTurnAccuracy(method, "multi-turn").stream().map(v -> 100 * v).toList()));
            }
            html.append(SvgCharts.lines("turn", "accuracy %", curves));
        }
        html.append("<h2>Category means</h2>");
        for (String mode : s.modes()) {
            List<String> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (String method : s.methods()) {
                for (Category c : Category.values()) {
                    labels.add(method + " · " + c.label());
                    values.add(100 * s.categoryMean(method, mode, c));
                }
            }
            html.append("<h3>").append(mode).append("</h3>").append(SvgCharts.bars("%", labels, values));
        }
        html.append(table(MarkdownReport.categoryTable(s)));
        html.append("<h2>Memory and speed</h2>");
        html.append("<h3>Peak KV memory (MiB)</h3>").append(perMethodBars(s, "MiB", m -> (m.kvHotPeak() + m.kvColdPeak()) / 1048576.0));
        html.append("<h3>Decode speed (tokens/s)</h3>").append(perMethodBars(s, "tok/s", Metrics::decodeTokensPerSecond));
        html.append("<h3>Time to first token (s)</h3>").append(perMethodBars(s, "s", Metrics::ttftSeconds));
        html.append(table(MarkdownReport.costTable(s)));
        html.append("<h2>Accuracy per task (%)</h2>").append(table(MarkdownReport.accuracyTable(s)));
        return html.append("</body></html>\n").toString();
    }

    private static String accuracyVersus(Summary s, String xLabel, ToDoubleFunction<Metrics> x) {
        List<SvgCharts.Point> points = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        for (String method : s.methods()) {
            for (int mode = 0; mode < s.modes().size(); mode++) {
                Metrics m = s.ofMethod(method, s.modes().get(mode));
                points.add(new SvgCharts.Point(x.applyAsDouble(m), 100 * m.accuracy(), mode));
                markers.add(method);
            }
        }
        return SvgCharts.scatter(xLabel, "accuracy %", s.modes(), points, markers);
    }

    private static String perMethodBars(Summary s, String unit, ToDoubleFunction<Metrics> value) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (String method : s.methods()) {
            for (String mode : s.modes()) {
                labels.add(method + " · " + mode);
                values.add(value.applyAsDouble(s.ofMethod(method, mode)));
            }
        }
        return SvgCharts.bars(unit, labels, values);
    }

    /** A Markdown pipe table (as {@link MarkdownReport} writes them) as an HTML table. */
    static String table(String markdown) {
        StringBuilder out = new StringBuilder("<table>");
        List<String> lines = markdown.lines().filter(l -> l.startsWith("|")).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (i == 1) {
                continue; // the |---| rule
            }
            String line = lines.get(i);
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            String tag = i == 0 ? "th" : "td";
            out.append("<tr>");
            for (String cell : cells) {
                out.append('<').append(tag).append('>').append(SvgCharts.escape(cell.strip())).append("</").append(tag).append('>');
            }
            out.append("</tr>");
        }
        return out.append("</table>").toString();
    }
}
