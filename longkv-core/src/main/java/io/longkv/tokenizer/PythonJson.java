package io.longkv.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;

import java.util.Iterator;
import java.util.Map;

/**
 * The {@code tojson} filter as Hugging Face defines it for chat templates: Python's
 * {@code json.dumps(x, ensure_ascii=False)}, so {@code ", "} and {@code ": "} separators, or newlines and
 * {@code indent} spaces with {@code tojson(indent=n)}. Tool-calling templates print tool schemas this way.
 */
final class PythonJson implements AdvancedFilter {
    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
        StringBuilder out = new StringBuilder();
        write(out, value, indent == null ? -1 : ((Number) indent).intValue(), 0);
        return out.toString();
    }

    static void write(StringBuilder out, Object value, int indent, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b ? "true" : "false");
            case Number n -> out.append(n);
            case Map<?, ?> map -> container(out, '{', '}', map.entrySet().iterator(), indent, depth, (entry, d) -> {
                string(out, String.valueOf(((Map.Entry<?, ?>) entry).getKey()));
                out.append(": ");
                write(out, ((Map.Entry<?, ?>) entry).getValue(), indent, d);
            });
            case Iterable<?> list -> container(out, '[', ']', list.iterator(), indent, depth, (item, d) -> write(out, item, indent, d));
            default -> string(out, value.toString());
        }
    }

    private interface ItemWriter {
        void write(Object item, int depth);
    }

    private static void container(StringBuilder out, char open, char close, Iterator<?> items, int indent, int depth, ItemWriter writer) {
        out.append(open);
        if (!items.hasNext()) {
            out.append(close);
            return;
        }
        boolean first = true;
        while (items.hasNext()) {
            out.append(first ? "" : indent >= 0 ? "," : ", ");
            if (indent >= 0) {
                out.append('\n').append(" ".repeat(indent * (depth + 1)));
            }
            writer.write(items.next(), depth + 1);
            first = false;
        }
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
        out.append(close);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
