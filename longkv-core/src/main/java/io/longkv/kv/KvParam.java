package io.longkv.kv;

import java.util.List;
import java.util.Locale;

/**
 * A parameter of a KV method as {@code kv list} prints it and {@link KvSpec} parses it.
 *
 * @param defaultValue the value when the spec omits it, in spec syntax; null makes the parameter required
 * @param min smallest accepted value (numbers only)
 * @param max largest accepted value (numbers only)
 * @param choices the accepted words (CHOICE only)
 */
public record KvParam(String name, Kind kind, String defaultValue, double min, double max, List<String> choices,
                      String description) {
    public enum Kind { INT, DECIMAL, CHOICE, TEXT }

    public static KvParam integer(String name, int defaultValue, int min, int max, String description) {
        return new KvParam(name, Kind.INT, Integer.toString(defaultValue), min, max, List.of(), description);
    }

    public static KvParam decimal(String name, double defaultValue, double min, double max, String description) {
        return new KvParam(name, Kind.DECIMAL, Double.toString(defaultValue), min, max, List.of(), description);
    }

    public static KvParam choice(String name, String defaultValue, List<String> choices, String description) {
        return new KvParam(name, Kind.CHOICE, defaultValue, 0, 0, List.copyOf(choices), description);
    }

    /** Free text such as a file path; a null default makes it required. */
    public static KvParam text(String name, String defaultValue, String description) {
        return new KvParam(name, Kind.TEXT, defaultValue, 0, 0, List.of(), description);
    }

    /** Parses and range-checks a value given in a spec; the message names the method and parameter. */
    Object parse(String method, String raw) {
        String where = "KV method '" + method + "' parameter '" + name + "'";
        switch (kind) {
            case INT -> {
                long value;
                try {
                    value = Long.parseLong(raw.strip());
                } catch (NumberFormatException e) {
                    throw new KvSpecException(where + " must be an integer, got '" + raw + "'");
                }
                checkRange(where, value, raw);
                return (int) value;
            }
            case DECIMAL -> {
                double value;
                try {
                    value = Double.parseDouble(raw.strip());
                } catch (NumberFormatException e) {
                    throw new KvSpecException(where + " must be a number, got '" + raw + "'");
                }
                checkRange(where, value, raw);
                return value;
            }
            case CHOICE -> {
                String value = raw.strip().toLowerCase(Locale.ROOT);
                if (!choices.contains(value)) {
                    throw new KvSpecException(where + " must be one of " + String.join(", ", choices) + ", got '" + raw + "'");
                }
                return value;
            }
            default -> {
                if (raw.isBlank()) {
                    throw new KvSpecException(where + " is empty");
                }
                return raw.strip();
            }
        }
    }

    private void checkRange(String where, double value, String raw) {
        if (value < min || value > max) {
            throw new KvSpecException(where + " must be in " + range() + ", got " + raw.strip());
        }
    }

    /** The accepted values as {@code kv list} prints them. */
    public String range() {
        return switch (kind) {
            case INT -> "[" + (long) min + ", " + (max >= Integer.MAX_VALUE ? "inf" : Long.toString((long) max)) + "]";
            case DECIMAL -> "[" + min + ", " + max + "]";
            case CHOICE -> String.join("|", choices);
            case TEXT -> "text";
        };
    }
}
