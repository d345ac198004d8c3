package io.longkv.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryMetadataTypeAndTensorData() throws Exception {
        GgufWriter w = new GgufWriter()
                .put("u8", GgufValueType.UINT8, 200L)
                .put("i8", GgufValueType.INT8, -5L)
                .put("u16", GgufValueType.UINT16, 60000L)
                .put("i16", GgufValueType.INT16, -300L)
                .put("u32", GgufValueType.UINT32, 4_000_000_000L)
                .put("i32", GgufValueType.INT32, -7L)
                .put("u64", GgufValueType.UINT64, 1L << 40)
                .put("i64", GgufValueType.INT64, -(1L << 40))
                .put("f32", GgufValueType.FLOAT32, 1.5f)
                .put("f64", GgufValueType.FLOAT64, 2.25)
                .put("bool", GgufValueType.BOOL, true)
                .putString("str", "héllo ✓")
                .putStrings("strs", "a", "", "ü")
                .putInts("ints", GgufValueType.INT32, 1, -2, 3)
                .putFloats("floats", 0.5f, -1f)
                .putArray("nested", GgufValueType.ARRAY, List.of(
                        new GgufWriter.Array(GgufValueType.UINT8, List.of(1L, 2L)),
                        new GgufWriter.Array(GgufValueType.STRING, List.of("x"))))
                .tensorF32("t", new long[] {4, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (GgufFile f = GgufFile.open(w.write(dir.resolve("m.gguf")))) {
            GgufMetadata m = f.metadata();
            assertEquals(200, m.getInt("u8"));
            assertEquals(-5, m.getInt("i8"));
            assertEquals(60000, m.getInt("u16"));
            assertEquals(-300, m.getInt("i16"));
            assertEquals(4_000_000_000L, m.getLong("u32"));
            assertEquals(-7, m.getInt("i32"));
            assertEquals(1L << 40, m.getLong("u64"));
            assertEquals(-(1L << 40), m.getLong("i64"));
            assertEquals(1.5f, m.getFloat("f32"));
            assertEquals(2.25, (Double) m.get("f64"));
            assertTrue(m.getBoolean("bool", false));
            assertEquals("héllo ✓", m.getString("str"));
            assertArrayEquals(new String[] {"a", "", "ü"}, m.getStringArray("strs"));
            assertArrayEquals(new int[] {1, -2, 3}, m.getIntArray("ints"));
            assertArrayEquals(new float[] {0.5f, -1f}, m.getFloatArray("floats"));
            List<Object> nested = m.getNestedArray("nested");
            assertArrayEquals(new long[] {1, 2}, (long[]) nested.get(0));
            assertArrayEquals(new String[] {"x"}, (String[]) nested.get(1));
            assertEquals(GgufValueType.ARRAY, m.type("nested"));
            assertThrows(IllegalArgumentException.class, () -> m.getInt("u32"));

            GgufTensorInfo t = f.tensor("t");
            assertArrayEquals(new long[] {4, 2}, t.dims());
            assertEquals(32, t.byteSize());
            assertEquals(0, f.dataOffset() % 32);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8},
                    f.data(t).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED));
        }
    }

    @Test
    void honoursCustomAlignmentAndVersion2() throws Exception {
        GgufWriter w = new GgufWriter().version(2).alignment(64)
                .tensorF32("a", new long[] {3}, new float[] {1, 2, 3})
                .tensorF32("b", new long[] {2}, new float[] {9, 8});
        try (GgufFile f = GgufFile.open(w.write(dir.resolve("a.gguf")))) {
            assertEquals(2, f.version());
            assertEquals(0, f.dataOffset() % 64);
            assertEquals(64, f.tensor("b").offset());
            assertArrayEquals(new float[] {9, 8}, f.data("b").toArray(ValueLayout.JAVA_FLOAT_UNALIGNED));
        }
    }

    @Test
    void rejectsBadMagicVersionAndExtentsWithOffsets() throws Exception {
        byte[] good = new GgufWriter().putString("k", "v")
                .tensorF32("t", new long[] {4}, new float[] {1, 2, 3, 4}).toBytes();

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertEquals(0, rejection(magic).offset());

        byte[] version = good.clone();
        version[4] = 9;
        GgufFormatException e = rejection(version);
        assertEquals(4, e.offset());
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 20); // cuts into the tensor, not only its padding
        assertTrue(rejection(truncated).getMessage().contains("past the end"));
    }

    private GgufFormatException rejection(byte[] bytes) throws Exception {
        Path p = java.nio.file.Files.write(dir.resolve("bad.gguf"), bytes);
        return assertThrows(GgufFormatException.class, () -> GgufFile.open(p).close());
    }
}
