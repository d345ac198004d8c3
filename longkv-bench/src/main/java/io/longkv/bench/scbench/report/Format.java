package io.longkv.bench.scbench.report;

import java.util.Locale;

/** Number formats the reports share; NaN prints as a dash. */
final class Format {
    private Format() {
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    static String number(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String signed(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%+." + decimals + "f", value);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    /** {@code digits} significant digits without trailing zeros (CSV fields, axis ticks); NaN as empty. */
    static String compact(double value, int digits) {
        if (Double.isNaN(value)) {
            return "";
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
