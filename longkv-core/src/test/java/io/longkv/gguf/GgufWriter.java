package io.longkv.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes GGUF files for tests: typed metadata and tensors with raw bytes. Used to build tiny
 * synthetic models and the seeds of the fuzz test.
 */
public final class GgufWriter {
    private record Entry(String key, GgufValueType type, Object value) {
    }

    private record Tensor(String name, GgmlType type, long[] dims, byte[] data) {
    }

    private final List<Entry> metadata = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private int version = 3;
    private int alignment = GgufReader.DEFAULT_ALIGNMENT;

    public GgufWriter version(int version) {
        this.version = version;
        return this;
    }

    /** Sets the alignment and writes it as {@code general.alignment}. */
    public GgufWriter alignment(int alignment) {
        this.alignment = alignment;
        return put("general.alignment", GgufValueType.UINT32, (long) alignment);
    }

    /** A scalar: {@code value} is a Long for integer types, Float, Double, Boolean or String. */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        metadata.add(new Entry(key, type, value));
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putU32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putF32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    /** An array of {@code elementType}: values are Long/Float/Double/Boolean/String or nested {@link Array}. */
    public GgufWriter putArray(String key, GgufValueType elementType, List<?> values) {
        return put(key, GgufValueType.ARRAY, new Array(elementType, values));
    }

    public GgufWriter putStrings(String key, String... values) {
        return putArray(key, GgufValueType.STRING, List.of(values));
    }

    public GgufWriter putInts(String key, GgufValueType elementType, int... values) {
        List<Long> list = new ArrayList<>();
        for (int v : values) {
            list.add((long) v);
        }
        return putArray(key, elementType, list);
    }

    public GgufWriter putFloats(String key, float... values) {
        List<Float> list = new ArrayList<>();
        for (float v : values) {
            list.add(v);
        }
        return putArray(key, GgufValueType.FLOAT32, list);
    }

    /** A typed array value, for nesting. */
    public record Array(GgufValueType elementType, List<?> values) {
    }

    /** Adds a tensor; {@code dims[0]} is the contiguous dimension; {@code data} is its raw encoding. */
    public GgufWriter tensor(String name, GgmlType type, long[] dims, byte[] data) {
        long elements = 1;
        for (long d : dims) {
            elements *= d;
        }
        if (type.byteSize(elements) != data.length) {
            throw new IllegalArgumentException(name + ": " + data.length + " bytes given, " + type.byteSize(elements) + " expected");
        }
        tensors.add(new Tensor(name, type, dims.clone(), data));
        return this;
    }

    /** Adds an F32 tensor. */
    public GgufWriter tensorF32(String name, long[] dims, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return tensor(name, GgmlType.F32, dims, buffer.array());
    }

    public byte[] toBytes() {
        Out out = new Out();
        out.u32(GgufReader.MAGIC);
        out.u32(version);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Entry e : metadata) {
            out.string(e.key);
            out.u32(e.type.ordinal());
            out.value(e.type, e.value);
        }
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            offsets.add(offset);
            offset = align(offset + t.data.length);
        }
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            out.string(t.name);
            out.u32(t.dims.length);
            for (long d : t.dims) {
                out.u64(d);
            }
            out.u32(t.type.id());
            out.u64(offsets.get(i));
        }
        out.pad(align(out.size()) - out.size());
        for (Tensor t : tensors) {
            out.bytes(t.data);
            out.pad(align(t.data.length) - t.data.length);
        }
        return out.toByteArray();
    }

    public Path write(Path path) throws IOException {
        Files.write(path, toBytes());
        return path;
    }

    private long align(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private static final class Out extends ByteArrayOutputStream {
        void u32(long v) {
            bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        void u64(long v) {
            bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void pad(long n) {
            for (long i = 0; i < n; i++) {
                write(0);
            }
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void value(GgufValueType type, Object v) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            switch (type) {
                case UINT8, INT8 -> write(((Number) v).intValue());
                case BOOL -> write((Boolean) v ? 1 : 0);
                case UINT16, INT16 -> bytes(Arrays.copyOf(b.putShort(((Number) v).shortValue()).array(), 2));
                case UINT32, INT32 -> u32(((Number) v).longValue());
                case UINT64, INT64 -> u64(((Number) v).longValue());
                case FLOAT32 -> bytes(Arrays.copyOf(b.putFloat(((Number) v).floatValue()).array(), 4));
                case FLOAT64 -> bytes(b.putDouble(((Number) v).doubleValue()).array());
                case STRING -> string((String) v);
                case ARRAY -> {
                    Array a = (Array) v;
                    u32(a.elementType().ordinal());
                    u64(a.values().size());
                    for (Object element : a.values()) {
                        value(a.elementType(), element);
                    }
                }
            }
        }
    }
}
