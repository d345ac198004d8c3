package io.longkv.kv.quant;

import io.longkv.kv.block.BlockPool;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Rows of packed codes and half (scale, min) pairs, one growable array pair per KV head so a head's rows are
 * contiguous for the kernels. A row is whatever a method quantizes at once (a key group of tokens, one value
 * token). Capacity is reserved from the {@link BlockPool}, grown by an eighth at a time so little is held
 * unused; {@link #bytes()} reports the reservation.
 */
public final class PackedRows implements AutoCloseable {
    private final BlockPool pool;
    private final int heads;
    private final int rowInts;
    private final int rowParams;
    private final int[][] codes;
    private final short[][] params;
    private int rows;
    private int capacity;

    public PackedRows(BlockPool pool, int heads, int rowInts, int rowParams) {
        this.pool = pool;
        this.heads = heads;
        this.rowInts = rowInts;
        this.rowParams = rowParams;
        this.codes = new int[heads][0];
        this.params = new short[heads][0];
    }

    public int rows() {
        return rows;
    }

    public int[] codes(int head) {
        return codes[head];
    }

    public short[] params(int head) {
        return params[head];
    }

    /** Where row {@code row}'s codes start in {@link #codes}. */
    public int codeBase(int row) {
        return row * rowInts;
    }

    /** Where row {@code row}'s params start in {@link #params}. */
    public int paramBase(int row) {
        return row * rowParams;
    }

    /** Bytes of one row over all heads. */
    public long rowBytes() {
        return (long) heads * (rowInts * Integer.BYTES + rowParams * Short.BYTES);
    }

    /** Appends an all-zero row (the caller fills it) and returns its index. */
    public int addRow() {
        if (rows == capacity) {
            grow(Math.max(rows + 1, capacity + capacity / 8 + 16));
        }
        for (int h = 0; h < heads; h++) {
            Arrays.fill(codes[h], codeBase(rows), codeBase(rows + 1), 0);
        }
        return rows++;
    }

    /** Makes room for {@code more} rows at once (e.g. a whole prompt) without over-reserving. */
    public void reserve(int more) {
        if (rows + more > capacity) {
            grow(rows + more);
        }
    }

    private void grow(int newCapacity) {
        pool.reserve((newCapacity - capacity) * rowBytes());
        for (int h = 0; h < heads; h++) {
            codes[h] = Arrays.copyOf(codes[h], newCapacity * rowInts);
            params[h] = Arrays.copyOf(params[h], newCapacity * rowParams);
        }
        capacity = newCapacity;
    }

    /** Drops rows from {@code keep} on (capacity stays reserved for the rows that will replace them). */
    public void truncate(int keep) {
        rows = Math.min(rows, keep);
    }

    /** A private copy holding the same rows. */
    public PackedRows copy() {
        PackedRows copy = new PackedRows(pool, heads, rowInts, rowParams);
        copy.grow(rows);
        for (int h = 0; h < heads; h++) {
            System.arraycopy(codes[h], 0, copy.codes[h], 0, rows * rowInts);
            System.arraycopy(params[h], 0, copy.params[h], 0, rows * rowParams);
        }
        copy.rows = rows;
        return copy;
    }

    /** Bytes reserved. */
    public long bytes() {
        return capacity * rowBytes();
    }

    public void save(DataOutput out) throws IOException {
        out.writeInt(rows);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < rows * rowInts; i++) {
                out.writeInt(codes[h][i]);
            }
            for (int i = 0; i < rows * rowParams; i++) {
                out.writeShort(params[h][i]);
            }
        }
    }

    /** Replaces the rows by what {@link #save} wrote. */
    public void load(DataInput in) throws IOException {
        int saved = in.readInt();
        if (saved < 0) {
            throw new IOException("negative packed row count " + saved);
        }
        rows = 0;
        reserve(saved);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < saved * rowInts; i++) {
                codes[h][i] = in.readInt();
            }
            for (int i = 0; i < saved * rowParams; i++) {
                params[h][i] = in.readShort();
            }
        }
        rows = saved;
    }

    /** Gives the reservation back. Idempotent. */
    @Override
    public void close() {
        pool.release(capacity * rowBytes());
        capacity = 0;
        rows = 0;
        for (int h = 0; h < heads; h++) {
            codes[h] = new int[0];
            params[h] = new short[0];
        }
    }
}
