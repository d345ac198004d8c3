package io.longkv.kv.block;

import io.longkv.kv.attention.AttentionMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keys and values of a fixed number of token slots for every KV head of one layer, laid out head-major
 * so the kernels stream one head's data (rows {@code [slot][dim]}, or the tiles of {@code Tiles} in the f32 and
 * f16 blocks). Blocks are reference counted:
 * forks and the prefix cache share them, and a holder about to write calls {@link #writable} to get a
 * private copy when the block is shared (copy-on-write). Subclasses store one {@link KvDtype}.
 */
public abstract class KvBlock {
    protected final int tokens;
    protected final int kvHeads;
    protected final int headDim;
    private final BlockPool pool;
    private final long bytes;
    private final AtomicInteger refs = new AtomicInteger(1);

    protected KvBlock(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        this.pool = pool;
        this.tokens = tokens;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.bytes = bytes;
    }

    public abstract KvDtype dtype();

    /** Token slots. */
    public int tokens() {
        return tokens;
    }

    /** Bytes reserved for this block in the pool. */
    public long bytes() {
        return bytes;
    }

    /** Stores one token's keys and values (rows of {@code kvHeads * headDim} floats) in {@code slot}. */
    public abstract void write(int slot, float[] keys, int keyOffset, float[] values, int valueOffset);

    /** Keys of {@code head} in slots {@code [from, to)} as floats, rows of headDim, into {@code dst}. */
    public abstract void readKeys(int head, int from, int to, float[] dst, int dstOffset);

    /** Values of {@code head} in slots {@code [from, to)} as floats, rows of headDim, into {@code dst}. */
    public abstract void readValues(int head, int from, int to, float[] dst, int dstOffset);

    /**
     * {@code scores[r * stride + t - from] = q_r . k_t} for the {@code rows} query rows stored contiguously
     * in {@code q} (headDim each) and slots t in {@code [from, to)}; each key is read once for all rows.
     * {@code scratch} holds at least {@code tokens * headDim} floats.
     */
    public void scores(int head, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        readKeys(head, from, to, scratch, 0);
        AttentionMath.scores(scratch, 0, to - from, headDim, q, rows, scores, stride);
    }

    /** {@code acc[r * headDim + i] += sum_t p[r * stride + t - from] * v_t[i]} for slots t in {@code [from, to)}. */
    public void accumulate(int head, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
        readValues(head, from, to, scratch, 0);
        AttentionMath.accumulate(scratch, 0, to - from, headDim, p, stride, rows, acc);
    }

    /** {@link AttentionMath#ggmlScores} of slots {@code [from, to)}: {@code scores[off + r * stride + t - from]}. */
    public void ggmlScores(int head, int from, int to, float[] q, int qOff, int rows, float[] scores, int off, int stride,
                           float[] scratch) {
        readKeys(head, from, to, scratch, 0);
        AttentionMath.ggmlScores(scratch, 0, to - from, headDim, q, qOff, rows, scores, off, stride);
    }

    /**
     * {@link AttentionMath#ggmlValueLanes} of slots {@code [from, to)} (slot {@code from} in lane {@code lane})
     * over dims {@code [dim, dim + width)}, for {@code rows} probability rows {@code pStride} apart.
     */
    public void ggmlValueLanes(int head, int from, int to, int dim, int width, float[] p, int pOff, int pStride, int rows,
                               int lane, int lanes, float[] partial, float[] scratch) {
        readValues(head, from, to, scratch, 0);
        AttentionMath.ggmlValueLanes(scratch, dim, to - from, headDim, width, p, pOff, pStride, rows, lane, lanes, partial);
    }

    /** Adds a holder. */
    public KvBlock retain() {
        refs.incrementAndGet();
        return this;
    }

    /** Drops a holder; the last one returns the bytes to the pool. */
    public void release() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            pool.release(bytes);
        } else if (left < 0) {
            throw new IllegalStateException("KV block released more often than retained");
        }
    }

    /** Whether another holder shares this block. */
    public boolean shared() {
        return refs.get() > 1;
    }

    /**
     * This block when the caller is its only holder; otherwise a private copy of its first {@code slots}
     * slots, and the caller's reference to this block is dropped.
     */
    public KvBlock writable(int slots) {
        if (!shared()) {
            return this;
        }
        KvBlock copy = pool.allocate(dtype(), kvHeads, headDim);
        copy.copyFrom(this, slots);
        release();
        return copy;
    }

    /** Copies slots {@code [0, slots)} of every head from a block of the same dtype and shape. */
    protected abstract void copyFrom(KvBlock other, int slots);

    /** Writes slots {@code [0, slots)} in this dtype's own encoding. */
    public abstract void save(DataOutput out, int slots) throws IOException;

    /** Reads what {@link #save} wrote into slots {@code [0, slots)}. */
    public abstract void load(DataInput in, int slots) throws IOException;
}
