package io.longkv.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Parses a GGUF header (v2, v3) from a mapped segment. Every count and length is checked against the
 * bytes left before anything is allocated, so a corrupt file fails fast with the offset of the fault.
 */
final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_DIMS = 4;
    private static final int MAX_NESTING = 8;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Header(int version, GgufMetadata metadata, LinkedHashMap<String, GgufTensorInfo> tensors, long dataOffset) {
    }

    private final MemorySegment file;
    private final long size;
    private long pos;

    private GgufReader(MemorySegment file) {
        this.file = file;
        this.size = file.byteSize();
    }

    static Header read(MemorySegment file) throws GgufFormatException {
        return new GgufReader(file).header();
    }

    private Header header() throws GgufFormatException {
        if (size < 4 || file.get(INT, 0) != MAGIC) {
            throw new GgufFormatException(0, "not a GGUF file (bad magic)");
        }
        pos = 4;
        long version = u32();
        if (version == 1) {
            throw new GgufFormatException(4, "GGUF version 1 is not supported (only 2 and 3)");
        }
        if (version != 2 && version != 3) {
            boolean bigEndian = Integer.reverseBytes((int) version) == 2 || Integer.reverseBytes((int) version) == 3;
            throw new GgufFormatException(4, bigEndian ? "big-endian GGUF is not supported"
                    : "unsupported GGUF version " + version);
        }
        long countsAt = pos;
        long tensorCount = u64();
        long kvCount = u64();
        // Each tensor descriptor takes at least 24 bytes, each key/value at least 13.
        if (tensorCount < 0 || tensorCount > remaining() / 24) {
            throw new GgufFormatException(countsAt, "tensor count " + Long.toUnsignedString(tensorCount) + " exceeds the file size");
        }
        if (kvCount < 0 || kvCount > remaining() / 13) {
            throw new GgufFormatException(countsAt + 8, "metadata count " + Long.toUnsignedString(kvCount) + " exceeds the file size");
        }

        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        LinkedHashMap<String, GgufValueType> types = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyAt = pos;
            String key = string();
            GgufValueType type = valueType();
            Object value = value(type, 0);
            if (values.putIfAbsent(key, value) != null) {
                throw new GgufFormatException(keyAt, "duplicate metadata key " + key);
            }
            types.put(key, type);
        }
        GgufMetadata metadata = new GgufMetadata(values, types);

        long alignment = DEFAULT_ALIGNMENT;
        if (values.containsKey("general.alignment")) {
            if (!(values.get("general.alignment") instanceof Long a) || a <= 0 || Long.bitCount(a) != 1) {
                throw new GgufFormatException(pos, "general.alignment must be a power of two, got " + values.get("general.alignment"));
            }
            alignment = a;
        }

        LinkedHashMap<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        long[] descriptorOffsets = new long[(int) tensorCount];
        for (int i = 0; i < tensorCount; i++) {
            descriptorOffsets[i] = pos;
            GgufTensorInfo info = tensorInfo(alignment);
            if (tensors.putIfAbsent(info.name(), info) != null) {
                throw new GgufFormatException(descriptorOffsets[i], "duplicate tensor name " + info.name());
            }
        }

        long dataOffset = alignUp(pos, alignment);
        if (!tensors.isEmpty() && dataOffset > size) {
            throw new GgufFormatException(pos, "tensor data section starts at " + dataOffset + ", past the end of the file (" + size + " bytes)");
        }
        int index = 0;
        for (GgufTensorInfo t : tensors.values()) {
            long end = dataOffset + t.offset() + t.byteSize();
            if (t.offset() > size || end > size || end < 0) {
                throw new GgufFormatException(descriptorOffsets[index],
                        "tensor " + t.name() + " data (" + t.byteSize() + " bytes at data offset " + t.offset()
                                + ") extends past the end of the file (" + size + " bytes)");
            }
            index++;
        }
        return new Header((int) version, metadata, tensors, dataOffset);
    }

    private GgufTensorInfo tensorInfo(long alignment) throws GgufFormatException {
        long start = pos;
        String name = string();
        long dimsAt = pos;
        long rank = u32();
        if (rank < 1 || rank > MAX_DIMS) {
            throw new GgufFormatException(dimsAt, "tensor " + name + " has " + rank + " dimensions (1 to " + MAX_DIMS + " allowed)");
        }
        long[] dims = new long[(int) rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            long dimAt = pos;
            dims[d] = u64();
            if (dims[d] <= 0) {
                throw new GgufFormatException(dimAt, "tensor " + name + " dimension " + d + " is " + Long.toUnsignedString(dims[d]));
            }
            try {
                elements = Math.multiplyExact(elements, dims[d]);
            } catch (ArithmeticException overflow) {
                throw new GgufFormatException(dimAt, "tensor " + name + " element count overflows");
            }
        }
        long typeAt = pos;
        long typeId = u32();
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw new GgufFormatException(typeAt, "tensor " + name + " has unknown type id " + typeId);
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new GgufFormatException(dimsAt, "tensor " + name + " row length " + dims[0] + " is not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
        long byteSize;
        try {
            byteSize = type.byteSize(elements);
        } catch (ArithmeticException overflow) {
            throw new GgufFormatException(dimsAt, "tensor " + name + " byte size overflows");
        }
        long offsetAt = pos;
        long offset = u64();
        if (offset < 0 || offset % alignment != 0) {
            throw new GgufFormatException(offsetAt, "tensor " + name + " data offset " + Long.toUnsignedString(offset)
                    + " is not a multiple of the alignment " + alignment);
        }
        if (byteSize > size) {
            throw new GgufFormatException(start, "tensor " + name + " needs " + byteSize + " bytes, more than the file holds");
        }
        return new GgufTensorInfo(name, dims, type, offset);
    }

    private GgufValueType valueType() throws GgufFormatException {
        long at = pos;
        long id = u32();
        GgufValueType type = GgufValueType.byId(id);
        if (type == null) {
            throw new GgufFormatException(at, "unknown metadata value type " + id);
        }
        return type;
    }

    private Object value(GgufValueType type, int depth) throws GgufFormatException {
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(u8());
            case INT8 -> (long) u8();
            case UINT16 -> (long) Short.toUnsignedInt(i16());
            case INT16 -> (long) i16();
            case UINT32 -> u32();
            case INT32 -> (long) i32();
            case UINT64, INT64 -> u64();
            case FLOAT32 -> f32();
            case FLOAT64 -> f64();
            case BOOL -> bool();
            case STRING -> string();
            case ARRAY -> array(depth + 1);
        };
    }

    private Object array(int depth) throws GgufFormatException {
        long at = pos;
        if (depth > MAX_NESTING) {
            throw new GgufFormatException(at, "arrays nested deeper than " + MAX_NESTING);
        }
        GgufValueType elementType = valueType();
        long countAt = pos;
        long count = u64();
        if (count < 0 || count > remaining() / elementType.minBytes()) {
            throw new GgufFormatException(countAt, "array of " + Long.toUnsignedString(count) + " " + elementType
                    + " values exceeds the file size");
        }
        int n = (int) count;
        switch (elementType) {
            case STRING -> {
                String[] out = new String[n];
                for (int i = 0; i < n; i++) {
                    out[i] = string();
                }
                return out;
            }
            case FLOAT32 -> {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = f32();
                }
                return out;
            }
            case FLOAT64 -> {
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = f64();
                }
                return out;
            }
            case BOOL -> {
                boolean[] out = new boolean[n];
                for (int i = 0; i < n; i++) {
                    out[i] = bool();
                }
                return out;
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(array(depth + 1));
                }
                return out;
            }
            default -> {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (Long) value(elementType, depth);
                }
                return out;
            }
        }
    }

    private String string() throws GgufFormatException {
        long at = pos;
        long length = u64();
        if (length < 0 || length > remaining()) {
            throw new GgufFormatException(at, "string of " + Long.toUnsignedString(length) + " bytes exceeds the file size");
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new GgufFormatException(at, "string of " + length + " bytes is too long");
        }
        byte[] bytes = file.asSlice(pos, length).toArray(ValueLayout.JAVA_BYTE);
        pos += length;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new GgufFormatException(at + 8, "string is not valid UTF-8");
        }
    }

    private boolean bool() throws GgufFormatException {
        long at = pos;
        byte b = u8();
        if (b != 0 && b != 1) {
            throw new GgufFormatException(at, "boolean byte is " + b);
        }
        return b == 1;
    }

    private byte u8() throws GgufFormatException {
        need(1);
        return file.get(ValueLayout.JAVA_BYTE, pos++);
    }

    private short i16() throws GgufFormatException {
        need(2);
        short v = file.get(SHORT, pos);
        pos += 2;
        return v;
    }

    private int i32() throws GgufFormatException {
        need(4);
        int v = file.get(INT, pos);
        pos += 4;
        return v;
    }

    private long u32() throws GgufFormatException {
        return Integer.toUnsignedLong(i32());
    }

    private long u64() throws GgufFormatException {
        need(8);
        long v = file.get(LONG, pos);
        pos += 8;
        return v;
    }

    private float f32() throws GgufFormatException {
        need(4);
        float v = file.get(FLOAT, pos);
        pos += 4;
        return v;
    }

    private double f64() throws GgufFormatException {
        need(8);
        double v = file.get(DOUBLE, pos);
        pos += 8;
        return v;
    }

    private long remaining() {
        return size - pos;
    }

    private void need(long bytes) throws GgufFormatException {
        if (bytes > remaining()) {
            throw new GgufFormatException(pos, "unexpected end of file: need " + bytes + " bytes, " + remaining() + " left");
        }
    }

    private static long alignUp(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
