package io.longkv.kv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parameter values of one method in a spec, defaults filled in, in the method's declared order. */
public final class KvParams {
    private final Map<String, Object> values;

    KvParams(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public int getInt(String name) {
        return (Integer) get(name);
    }

    public double getDouble(String name) {
        return (Double) get(name);
    }

    /** A CHOICE (lower case) or TEXT value. */
    public String getString(String name) {
        return (String) get(name);
    }

    private Object get(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no KV parameter '" + name + "' (have " + values.keySet() + ")");
        }
        return value;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    /** {@code a=1,b=x} in declared order: the canonical spec form. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(out.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvParams p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
