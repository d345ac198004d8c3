package io.longkv.kv.evict;

import io.longkv.kv.KvMemory;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What the eviction methods share: storage in a {@link SlotStore}, the position checks of the contract,
 * the traffic counter, memory and rollback. A method compresses in {@link #endPrefill} (the prompt of a
 * turn is attended whole first, as the reference implementations do) and, if it evicts while decoding,
 * after each one-row attend.
 *
 * <p>Rollback: a method that drops tokens while decoding keeps a checkpoint, a copy-on-write fork of its
 * state at the last end of prefill, so a session can drop a turn's decoded tokens ({@code truncate} to that
 * length); the checkpoint's blocks count in {@link #memory()} once decoding has made them private. A method
 * may also allow dropping a suffix it can restore exactly ({@link #canDropSuffix}). Anything else is refused
 * with {@link IllegalStateException}. The checkpoint is not saved: a loaded cache rolls back only what it
 * could drop as a suffix.
 */
public abstract class EvictingCache implements LayerKvCache {
    protected final LayerContext context;
    private final boolean checkpoints;
    protected SlotStore store;
    protected int length;
    private long bytesRead;
    private EvictingCache checkpoint;

    /** @param checkpoints whether to keep the state at the end of prefill for rollback */
    protected EvictingCache(LayerContext context, SlotStore store, int length, boolean checkpoints) {
        this.context = context;
        this.store = store;
        this.length = length;
        this.checkpoints = checkpoints;
    }

    @Override
    public final void append(int position, float[] keys, float[] values, int tokens) {
        if (position != length) {
            throw new IllegalStateException("append at position " + position + " but the cache holds " + length);
        }
        appended(position, keys, values, tokens);
        store.append(position, keys, values, tokens);
        length += tokens;
    }

    @Override
    public final void attend(int position, float[] queries, int tokens, float[] out) {
        if (position + tokens != length) {
            throw new IllegalStateException("attend rows " + position + ".." + (position + tokens - 1)
                    + " but the cache holds " + length + " positions");
        }
        bytesRead += store.attend(queries, tokens, out) * store.tokenBytes();
        bytesRead += attended(queries, tokens);
    }

    /** Sees keys and values about to be stored at positions {@code position ..} (rows of kvHeads * headDim). */
    protected void appended(int position, float[] keys, float[] values, int tokens) {
    }

    /**
     * Sees the queries just attended (the last {@code tokens} slots); scores them, and evicts if the method
     * does so while decoding. Returns extra KV bytes read.
     */
    protected abstract long attended(float[] queries, int tokens);

    /** Compresses at the end of a turn's prompt. */
    protected abstract void compress();

    /** Whether dropping positions from {@code length} on (below the current length) gives exactly that state. */
    protected boolean canDropSuffix(int length) {
        return false;
    }

    /** Drops positions from {@code newLength} on, all of them stored as the last slots; {@link #canDropSuffix} said yes. */
    protected void dropSuffix(int newLength) {
        store.dropFrom(store.slots() - (length - newLength));
    }

    /** An independent copy of this method's state without the checkpoint (storage forked copy-on-write). */
    protected abstract EvictingCache copy();

    /** Takes over the method's own fields (beyond the store) of {@code from}, a copy about to be discarded. */
    protected void adopt(EvictingCache from) {
    }

    /** Writes the method's own fields beyond the store. */
    protected void saveState(DataOutput out) throws IOException {
    }

    protected void loadState(DataInput in) throws IOException {
    }

    @Override
    public final void endPrefill() {
        compress();
        if (checkpoints) {
            if (checkpoint != null) {
                checkpoint.close();
            }
            checkpoint = copy();
        }
    }

    @Override
    public final int length() {
        return length;
    }

    @Override
    public final boolean canTruncate(int newLength) {
        return newLength == length || (checkpoint != null && newLength == checkpoint.length) || canDropSuffix(newLength);
    }

    @Override
    public final void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a cache of " + length + " positions to " + newLength);
        }
        if (newLength == length) {
            return;
        }
        if (checkpoint != null && newLength == checkpoint.length) {
            EvictingCache saved = checkpoint.copy();
            store.close();
            store = saved.store;
            length = saved.length;
            adopt(saved);
            return;
        }
        if (!canDropSuffix(newLength)) {
            throw new IllegalStateException("cannot roll back from " + length + " to " + newLength + " positions: the cache "
                    + "evicted tokens that state needs (it can go back to " + (checkpoint == null ? "no earlier point"
                    : "the end of the last prompt, " + checkpoint.length + " positions") + ")");
        }
        dropSuffix(newLength);
        length = newLength;
        if (checkpoint != null && checkpoint.length > newLength) {
            checkpoint.close();
            checkpoint = null;
        }
    }

    @Override
    public final LayerKvCache fork() {
        EvictingCache fork = copy();
        fork.checkpoint = checkpoint == null ? null : checkpoint.copy();
        return fork;
    }

    @Override
    public final KvMemory memory() {
        return new KvMemory(store.bytes() + (checkpoint == null ? 0 : checkpoint.store.bytesBeyond(store)), 0);
    }

    @Override
    public final long bytesRead() {
        return bytesRead;
    }

    @Override
    public final void save(DataOutput out) throws IOException {
        out.writeInt(length);
        store.save(out);
        saveState(out);
    }

    @Override
    public final void load(DataInput in) throws IOException {
        if (length != 0) {
            throw new IllegalStateException("load into a cache that holds " + length + " positions");
        }
        int saved = in.readInt();
        if (saved < 0) {
            throw new IOException("negative cache length " + saved);
        }
        store.load(in);
        try {
            loadState(in);
        } catch (IOException | RuntimeException e) {
            store.dropFrom(0);
            throw e;
        }
        length = saved;
    }

    @Override
    public final void close() {
        store.close();
        if (checkpoint != null) {
            checkpoint.close();
            checkpoint = null;
        }
    }
}
