package io.longkv.tokenizer;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's str and dict methods for Jinjava expressions: chat templates are written for Jinja2, where
 * {@code s.startswith('x')}, {@code s.split()} or {@code d.items()} call Python methods that Java
 * strings and maps lack. Other calls fall through to Jinjava's own resolver.
 */
final class PythonStringMethods extends ELResolver {
    private static final Object NOT_HANDLED = new Object();

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(method instanceof String name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        if (base instanceof String s) {
            result = stringMethod(s, name, args);
        } else if (base instanceof Map<?, ?> map) {
            result = mapMethod(map, name, args);
        } else {
            return null;
        }
        if (result != NOT_HANDLED) {
            context.setPropertyResolved(true);
            return result;
        }
        return null;
    }

    private static Object stringMethod(String s, String name, Object[] args) {
        return switch (name) {
            case "startswith" -> args.length == 1 ? s.startsWith(str(args[0])) : NOT_HANDLED;
            case "endswith" -> args.length == 1 ? s.endsWith(str(args[0])) : NOT_HANDLED;
            case "strip" -> args.length == 0 ? s.strip() : stripChars(stripChars(s, str(args[0]), true), str(args[0]), false);
            case "lstrip" -> args.length == 0 ? s.stripLeading() : stripChars(s, str(args[0]), true);
            case "rstrip" -> args.length == 0 ? s.stripTrailing() : stripChars(s, str(args[0]), false);
            case "upper" -> s.toUpperCase();
            case "lower" -> s.toLowerCase();
            case "split" -> split(s, args);
            default -> NOT_HANDLED;
        };
    }

    private static Object mapMethod(Map<?, ?> map, String name, Object[] args) {
        return switch (name) {
            case "items" -> map.entrySet().stream().map(e -> Arrays.asList(e.getKey(), e.getValue())).toList();
            case "keys" -> List.copyOf(map.keySet());
            case "values" -> List.copyOf(map.values());
            case "get" -> args.length == 2 ? (map.containsKey(args[0]) ? map.get(args[0]) : args[1]) : NOT_HANDLED;
            default -> NOT_HANDLED;
        };
    }

    private static String str(Object o) {
        return String.valueOf(o);
    }

    private static String stripChars(String s, String chars, boolean leading) {
        int from = 0;
        int to = s.length();
        if (leading) {
            while (from < to && chars.indexOf(s.charAt(from)) >= 0) {
                from++;
            }
        } else {
            while (to > from && chars.indexOf(s.charAt(to - 1)) >= 0) {
                to--;
            }
        }
        return s.substring(from, to);
    }

    /** {@code split()} on runs of whitespace, or {@code split(sep)} / {@code split(sep, maxsplit)} on a separator. */
    private static Object split(String s, Object[] args) {
        if (args.length == 0 || args[0] == null) {
            String stripped = s.strip();
            return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
        }
        String sep = str(args[0]);
        int max = args.length > 1 ? ((Number) args[1]).intValue() : -1;
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at; (max < 0 || parts.size() < max) && (at = s.indexOf(sep, from)) >= 0; from = at + sep.length()) {
            parts.add(s.substring(from, at));
        }
        parts.add(s.substring(from));
        return parts;
    }

    // Properties are left to Jinjava's resolver.

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
