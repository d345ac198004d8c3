package io.longkv.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order. Scalars are boxed ({@link Long} for every
 * integer type, {@link Float}, {@link Double}, {@link Boolean}, {@link String}); arrays are primitive
 * arrays ({@code long[]} for integers, {@code float[]}, {@code double[]}, {@code boolean[]}),
 * {@code String[]}, or {@code List<Object>} for arrays of arrays.
 */
public final class GgufMetadata {
    private final Map<String, Object> values;
    private final Map<String, GgufValueType> types;

    GgufMetadata(LinkedHashMap<String, Object> values, LinkedHashMap<String, GgufValueType> types) {
        this.values = Collections.unmodifiableMap(values);
        this.types = Collections.unmodifiableMap(types);
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The raw value, or null when absent. */
    public Object get(String key) {
        return values.get(key);
    }

    /** The declared type (for arrays: {@link GgufValueType#ARRAY}), or null when absent. */
    public GgufValueType type(String key) {
        return types.get(key);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public String getString(String key) {
        return require(key, String.class);
    }

    public String getString(String key, String fallback) {
        return contains(key) ? getString(key) : fallback;
    }

    public long getLong(String key) {
        return require(key, Long.class);
    }

    public long getLong(String key, long fallback) {
        return contains(key) ? getLong(key) : fallback;
    }

    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) {
            throw new IllegalArgumentException("metadata " + key + " = " + v + " does not fit in an int");
        }
        return (int) v;
    }

    public int getInt(String key, int fallback) {
        return contains(key) ? getInt(key) : fallback;
    }

    /** A float or double value as float; integers are accepted too. */
    public float getFloat(String key) {
        Object v = values.get(key);
        if (v instanceof Number n) {
            return n.floatValue();
        }
        throw missingOrWrong(key, "a number");
    }

    public float getFloat(String key, float fallback) {
        return contains(key) ? getFloat(key) : fallback;
    }

    public boolean getBoolean(String key, boolean fallback) {
        return contains(key) ? require(key, Boolean.class) : fallback;
    }

    public String[] getStringArray(String key) {
        return require(key, String[].class);
    }

    public long[] getLongArray(String key) {
        return require(key, long[].class);
    }

    public int[] getIntArray(String key) {
        long[] longs = getLongArray(key);
        int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            ints[i] = Math.toIntExact(longs[i]);
        }
        return ints;
    }

    public float[] getFloatArray(String key) {
        return require(key, float[].class);
    }

    @SuppressWarnings("unchecked")
    public List<Object> getNestedArray(String key) {
        return require(key, List.class);
    }

    private <T> T require(String key, Class<T> type) {
        Object v = values.get(key);
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        throw missingOrWrong(key, type.getSimpleName());
    }

    private RuntimeException missingOrWrong(String key, String expected) {
        Object v = values.get(key);
        if (v == null) {
            return new NoSuchElementException("GGUF metadata has no key " + key);
        }
        return new IllegalArgumentException("GGUF metadata " + key + " is " + types.get(key) + ", expected " + expected);
    }
}
