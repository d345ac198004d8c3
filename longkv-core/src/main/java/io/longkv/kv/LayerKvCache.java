package io.longkv.kv;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One layer's KV cache of one sequence. It owns attention, so compressed layouts can use fused kernels.
 * Keys arrive after RoPE; arrays hold rows of {@code kvHeads * headDim} floats (keys, values) or
 * {@code heads * headDim} floats (queries, outputs), one row per token. See the package notes for the
 * contract every method keeps (positions, truncation, forks, counters). Not thread-safe: one sequence
 * is driven by one thread at a time; forks may run on other threads.
 */
public interface LayerKvCache extends AutoCloseable {
    /**
     * Stores the keys and values of {@code tokens} consecutive tokens at positions
     * {@code position ..}; {@code position} is always {@link #length()}.
     */
    void append(int position, float[] keys, float[] values, int tokens);

    /**
     * Attention of {@code tokens} query rows at positions {@code position ..} over what the cache keeps,
     * causal: row i sees positions up to {@code position + i}. The rows' own keys were appended just
     * before. {@code tokens == 1} is a decode step. All query heads; query head h reads KV head
     * {@code h / (heads / kvHeads)}. Writes {@code tokens * heads * headDim} floats of {@code out}.
     */
    void attend(int position, float[] queries, int tokens, float[] out);

    /** Called once the prompt of a turn is appended and attended (SnapKV-like methods compress here). */
    default void endPrefill() {
    }

    /** Positions covered: the next append's position. May exceed the tokens actually stored. */
    int length();

    /**
     * Drops every position from {@code length} on, leaving the cache as if only the first {@code length}
     * positions had been appended. A method that cannot recover that state exactly (it evicted or merged
     * what the shorter history needs) throws {@link IllegalStateException} saying so and changes nothing.
     */
    void truncate(int length);

    /**
     * Whether {@link #truncate} to {@code length} (at most {@link #length()}) would succeed. Methods that
     * keep every position exactly return true; evicting or merging methods return false below what they
     * can restore (they may keep a checkpoint, e.g. of the state at the end of prefill, to allow more).
     */
    default boolean canTruncate(int length) {
        return true;
    }

    /**
     * An independent copy of this cache that shares storage copy-on-write (at block granularity for
     * paged methods): appending to or truncating either never changes what the other sees.
     */
    LayerKvCache fork();

    /** Bytes held now, per tier. */
    KvMemory memory();

    /** KV bytes read by {@link #attend} since this cache was created (metadata included); a monotone counter. */
    long bytesRead();

    /** Cold-tier traffic since this cache was created (methods without a cold tier: none). */
    default ColdReads coldReads() {
        return ColdReads.NONE;
    }

    /** Writes the whole state (what {@link #load} needs to rebuild it) for saving a session. */
    void save(DataOutput out) throws IOException;

    /**
     * Replaces the state of this cache, which must be empty, by one written by {@link #save} of a cache
     * of the same method, parameters and model shape. Throws {@link IOException} on malformed data.
     */
    void load(DataInput in) throws IOException;

    /** Releases held storage (shared blocks are released once their last holder closes). Idempotent. */
    @Override
    void close();
}
