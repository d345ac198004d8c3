package io.longkv.kv.block;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A growing sequence of key/value rows in paged blocks of one dtype: slot s lives in block
 * {@code s / blockTokens}. Forks share blocks copy-on-write; blocks wholly below {@link #start()} may be
 * released by {@link #releaseBelow} (methods that keep only a recent window at full precision). Every block
 * comes from the pool, so the memory budget holds; a failed allocation changes nothing.
 */
public final class BlockTable implements AutoCloseable {
    private final BlockPool pool;
    private final KvDtype dtype;
    private final int kvHeads;
    private final int headDim;
    private final int blockTokens;
    private KvBlock[] blocks;
    private int blockCount;
    private int start;
    private int length;

    public BlockTable(BlockPool pool, KvDtype dtype, int kvHeads, int headDim) {
        this(pool, dtype, kvHeads, headDim, new KvBlock[16], 0, 0, 0);
    }

    private BlockTable(BlockPool pool, KvDtype dtype, int kvHeads, int headDim, KvBlock[] blocks, int blockCount, int start,
                       int length) {
        this.pool = pool;
        this.dtype = dtype;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.blockTokens = pool.blockTokens();
        this.blocks = blocks;
        this.blockCount = blockCount;
        this.start = start;
        this.length = length;
    }

    public KvDtype dtype() {
        return dtype;
    }

    public int blockTokens() {
        return blockTokens;
    }

    /** The block table for the kernels (entries below {@code start() / blockTokens()} may be null). */
    public KvBlock[] blocks() {
        return blocks;
    }

    /** Slots held: {@code [start(), length())}. */
    public int length() {
        return length;
    }

    /** First slot still held (0 unless {@link #releaseBelow} was called). */
    public int start() {
        return start;
    }

    /** Appends {@code tokens} rows (of kvHeads * headDim floats each) at {@link #length()}. */
    public void append(float[] keys, float[] values, int tokens) {
        int rowFloats = kvHeads * headDim;
        for (int i = 0; i < tokens; i++) {
            if (length / blockTokens == blockCount) {
                KvBlock block = pool.allocate(dtype, kvHeads, headDim);
                if (blockCount == blocks.length) {
                    blocks = Arrays.copyOf(blocks, blocks.length * 2);
                }
                blocks[blockCount++] = block;
            }
            set(length, keys, i * rowFloats, values, i * rowFloats);
            length++;
        }
    }

    /** Overwrites slot {@code slot} (below length, or the slot being appended), copying a shared block first. */
    public void set(int slot, float[] keys, int keyOffset, float[] values, int valueOffset) {
        int b = slot / blockTokens;
        blocks[b] = blocks[b].writable(Math.min(blockTokens, length - b * blockTokens));
        blocks[b].write(slot % blockTokens, keys, keyOffset, values, valueOffset);
    }

    /** Keys ({@code keys}) or values of one head for slots {@code [from, to)} as float rows into {@code dst}. */
    public void read(boolean keys, int head, int from, int to, float[] dst, int dstOffset) {
        for (int s = from; s < to; ) {
            int b = s / blockTokens;
            int end = Math.min(to, (b + 1) * blockTokens);
            int at = dstOffset + (s - from) * headDim;
            if (keys) {
                blocks[b].readKeys(head, s - b * blockTokens, end - b * blockTokens, dst, at);
            } else {
                blocks[b].readValues(head, s - b * blockTokens, end - b * blockTokens, dst, at);
            }
            s = end;
        }
    }

    /** Drops slots from {@code newLength} on (not below {@link #start()}). */
    public void truncate(int newLength) {
        if (newLength < start || newLength > length) {
            throw new IllegalArgumentException("cannot truncate block slots [" + start + ", " + length + ") to " + newLength);
        }
        int keep = (newLength + blockTokens - 1) / blockTokens;
        for (int b = Math.max(keep, start / blockTokens); b < blockCount; b++) {
            blocks[b].release();
            blocks[b] = null;
        }
        blockCount = Math.max(keep, start / blockTokens);
        length = newLength;
    }

    /** Releases the blocks wholly below slot {@code newStart} (at most {@link #length()}); slots below it are no longer readable. */
    public void releaseBelow(int newStart) {
        for (int b = start / blockTokens; b < newStart / blockTokens; b++) {
            blocks[b].release();
            blocks[b] = null;
        }
        start = newStart;
    }

    /** A table of the same slots sharing every block copy-on-write. */
    public BlockTable fork() {
        KvBlock[] shared = blocks.clone();
        for (int b = start / blockTokens; b < blockCount; b++) {
            shared[b].retain();
        }
        return new BlockTable(pool, dtype, kvHeads, headDim, shared, blockCount, start, length);
    }

    /** Bytes of the blocks held. */
    public long bytes() {
        long bytes = 0;
        for (int b = start / blockTokens; b < blockCount; b++) {
            bytes += blocks[b].bytes();
        }
        return bytes;
    }

    public void save(DataOutput out) throws IOException {
        out.writeInt(start);
        out.writeInt(length);
        for (int b = start / blockTokens; b < blockCount; b++) {
            blocks[b].save(out, Math.min(blockTokens, length - b * blockTokens));
        }
    }

    /** Replaces an empty table's slots by what {@link #save} wrote; on failure the table is left empty. */
    public void load(DataInput in) throws IOException {
        if (length != 0) {
            throw new IllegalStateException("load into a block table that holds " + length + " slots");
        }
        int savedStart = in.readInt();
        int savedLength = in.readInt();
        if (savedStart < 0 || savedLength < savedStart) {
            throw new IOException("bad block table range [" + savedStart + ", " + savedLength + ")");
        }
        try {
            int first = savedStart / blockTokens;
            int count = (savedLength + blockTokens - 1) / blockTokens;
            blocks = new KvBlock[Math.max(16, count)];
            start = first * blockTokens;
            blockCount = first;
            for (int b = first; b < count; b++) {
                KvBlock block = pool.allocate(dtype, kvHeads, headDim);
                blocks[blockCount++] = block;
                int slots = Math.min(blockTokens, savedLength - b * blockTokens);
                block.load(in, slots);
                length = b * blockTokens + slots;
            }
            start = savedStart;
            length = savedLength;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Releases every block. Idempotent. */
    @Override
    public void close() {
        for (int b = start / blockTokens; b < blockCount; b++) {
            blocks[b].release();
            blocks[b] = null;
        }
        blockCount = 0;
        start = 0;
        length = 0;
    }
}
