package io.longkv.bench.scbench.report;

import java.util.List;
import java.util.Locale;

/** Small inline SVG charts (no scripts, no external resources), so the report opens offline. */
final class SvgCharts {
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 320;
    private static final int LEFT = 60;
    private static final int RIGHT = 180;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;

    /** A named series of y values (NaN: no point). */
    record Series(String name, List<Double> values) {
    }

    /** A labelled point of a scatter plot; {@code series} picks its colour and legend entry. */
    record Point(double x, double y, int series) {
    }

    private SvgCharts() {
    }

    /** Points against x in [0, xMax] and y in [0, 100]. */
    static String scatter(String xLabel, String yLabel, List<String> seriesNames, List<Point> points, List<String> markers) {
        double xMax = Math.max(1e-9, points.stream().mapToDouble(Point::x).filter(v -> !Double.isNaN(v)).max().orElse(1) * 1.1);
        StringBuilder svg = open(xLabel, yLabel, 0, xMax, 4);
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (Double.isNaN(p.x()) || Double.isNaN(p.y())) {
                continue;
            }
            double x = px(p.x(), xMax);
            double y = py(p.y());
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>%s</title></circle>",
                    x, y, color(p.series()), escape(markers.get(i))));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\">%s</text>", x + 6, y - 4,
                    escape(markers.get(i))));
        }
        return legend(svg, seriesNames).append("</svg>").toString();
    }

    /** One polyline per series over x = 1..n, y in [0, 100]. */
    static String lines(String xLabel, String yLabel, List<Series> series) {
        int n = series.stream().mapToInt(s -> s.values().size()).max().orElse(1);
        StringBuilder svg = open(xLabel, yLabel, 1, Math.max(2, n), Math.max(1, n - 1));
        for (int s = 0; s < series.size(); s++) {
            StringBuilder path = new StringBuilder();
            List<Double> values = series.get(s).values();
            for (int i = 0; i < values.size(); i++) {
                if (Double.isNaN(values.get(i))) {
                    continue;
                }
                double x = LEFT + (double) i / Math.max(1, n - 1) * plotWidth();
                double y = py(values.get(i));
                path.append(path.isEmpty() ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y, color(s)));
            }
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color(s)).append("\" stroke-width=\"2\"/>");
        }
        return legend(svg, series.stream().map(Series::name).toList()).append("</svg>").toString();
    }

    /** Horizontal bars, one per label, scaled to the largest value. */
    static String bars(String unit, List<String> labels, List<Double> values) {
        double max = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max().orElse(1);
        int rowHeight = 22;
        int height = labels.size() * rowHeight + 30;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">",
                WIDTH, height));
        int labelWidth = 230;
        for (int i = 0; i < labels.size(); i++) {
            double v = values.get(i);
            double w = Double.isNaN(v) || max <= 0 ? 0 : v / max * (WIDTH - labelWidth - 90);
            int y = 10 + i * rowHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", labelWidth - 6, y + 14,
                    escape(labels.get(i))));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>", labelWidth, y,
                    w, color(i)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s %s</text>", labelWidth + w + 4, y + 13,
                    Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3g", v), escape(unit)));
        }
        return svg.append("</svg>").toString();
    }

    /** Axes with y in percent and {@code intervals + 1} ticks on x from {@code xMin} to {@code xMax}. */
    private static StringBuilder open(String xLabel, String yLabel, double xMin, double xMax, int intervals) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">",
                WIDTH, HEIGHT));
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = py(pct);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y,
                    WIDTH - RIGHT, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>", LEFT - 4, y + 4, pct));
        }
        for (int i = 0; i <= intervals; i++) {
            double value = xMin + (xMax - xMin) * i / intervals;
            double x = LEFT + plotWidth() * (double) i / intervals;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, HEIGHT - BOTTOM + 16,
                    Format.compact(value, 3)));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, HEIGHT - BOTTOM,
                WIDTH - RIGHT, HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + plotWidth() / 2,
                HEIGHT - 12, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>",
                TOP + plotHeight() / 2, TOP + plotHeight() / 2, escape(yLabel)));
        return svg;
    }

    private static StringBuilder legend(StringBuilder svg, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            int y = TOP + 10 + i * 16;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", WIDTH - RIGHT + 10,
                    y - 9, color(i)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", WIDTH - RIGHT + 24, y, escape(names.get(i))));
        }
        return svg;
    }

    private static double px(double x, double xMax) {
        return LEFT + x / xMax * plotWidth();
    }

    /** y in percent (0-100) to pixels. */
    private static double py(double percent) {
        return TOP + (1 - percent / 100) * plotHeight();
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
