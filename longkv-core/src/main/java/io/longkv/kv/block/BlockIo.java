package io.longkv.kv.block;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Bulk little-endian array I/O for saving blocks (DataOutput's per-element calls are slow for megabytes). */
public final class BlockIo {
    private static final int CHUNK = 1 << 14;

    private BlockIo() {
    }

    public static void writeFloats(DataOutput out, float[] src, int off, int n) throws IOException {
        byte[] bytes = new byte[Math.min(n, CHUNK) * Float.BYTES];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < n; ) {
            int count = Math.min(CHUNK, n - done);
            buffer.clear();
            buffer.asFloatBuffer().put(src, off + done, count);
            out.write(bytes, 0, count * Float.BYTES);
            done += count;
        }
    }

    public static void readFloats(DataInput in, float[] dst, int off, int n) throws IOException {
        byte[] bytes = new byte[Math.min(n, CHUNK) * Float.BYTES];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < n; ) {
            int count = Math.min(CHUNK, n - done);
            in.readFully(bytes, 0, count * Float.BYTES);
            buffer.clear();
            buffer.asFloatBuffer().get(dst, off + done, count);
            done += count;
        }
    }

    public static void writeShorts(DataOutput out, short[] src, int off, int n) throws IOException {
        byte[] bytes = new byte[Math.min(n, CHUNK) * Short.BYTES];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < n; ) {
            int count = Math.min(CHUNK, n - done);
            buffer.clear();
            buffer.asShortBuffer().put(src, off + done, count);
            out.write(bytes, 0, count * Short.BYTES);
            done += count;
        }
    }

    public static void readShorts(DataInput in, short[] dst, int off, int n) throws IOException {
        byte[] bytes = new byte[Math.min(n, CHUNK) * Short.BYTES];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < n; ) {
            int count = Math.min(CHUNK, n - done);
            in.readFully(bytes, 0, count * Short.BYTES);
            buffer.clear();
            buffer.asShortBuffer().get(dst, off + done, count);
            done += count;
        }
    }
}
