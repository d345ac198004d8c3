package io.longkv.tensor;

import io.longkv.gguf.GgmlType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The dequantization fixtures written by scripts/fixtures/make_dequant_fixtures.py. */
record Fixtures(GgmlType type, int rows, int cols, byte[] raw, float[] values) {
    private static final String DIR = "/fixtures/dequant/";

    static List<Fixtures> all() {
        try {
            List<Fixtures> list = new ArrayList<>();
            for (String line : new String(bytes("index.txt"), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.replaceAll("#.*", "").trim().split("\\s+");
                if (f.length == 3) {
                    list.add(load(GgmlType.valueOf(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
                }
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Fixtures load(GgmlType type, int rows, int cols) throws IOException {
        byte[] raw = bytes(type + ".bin");
        float[] values = new float[rows * cols];
        ByteBuffer.wrap(bytes(type + ".f32")).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new Fixtures(type, rows, cols, raw, values);
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Fixtures.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("missing fixture " + DIR + name + ": run scripts/fixtures/make_dequant_fixtures.py");
        }
        return in;
    }

    /**
     * The fixture's rows repeated to {@code rows} rows in off-heap memory (as mapped weights are), and
     * the matching expected values in {@code expected}.
     */
    WeightMatrix tiled(Arena arena, int rows, float[] expected) {
        int rowBytes = raw.length / this.rows;
        MemorySegment data = arena.allocate((long) rowBytes * rows, 64);
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(MemorySegment.ofArray(raw), (long) (r % this.rows) * rowBytes, data, (long) r * rowBytes, rowBytes);
            System.arraycopy(values, (r % this.rows) * cols, expected, r * cols, cols);
        }
        return WeightMatrix.of(type, data, rows, cols);
    }

    @Override
    public String toString() {
        return type + " " + rows + "x" + cols;
    }
}
