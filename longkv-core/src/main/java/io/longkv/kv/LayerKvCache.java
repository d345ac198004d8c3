package io.longkv.kv;

/**
 * One layer's KV cache. It owns attention, so compressed layouts can use fused kernels. Keys arrive
 * after RoPE; arrays hold rows of {@code kvHeads * headDim} (keys, values) or {@code heads * headDim}
 * (queries, outputs) floats, one row per token.
 */
public interface LayerKvCache {
    /** Stores the keys and values of {@code tokens} consecutive tokens starting at {@code position}. */
    void append(int position, float[] keys, float[] values, int tokens);

    /**
     * Attention of {@code tokens} query rows at positions {@code position ..} over the cache, causal:
     * row i sees positions up to {@code position + i}. The rows' own keys must already be appended.
     */
    void attend(int position, float[] queries, int tokens, float[] out);

    /** Tokens (positions) this cache covers. */
    int length();

    /** Drops every position from {@code length} on. */
    void truncate(int length);

    /** Bytes held. */
    long bytes();
}
