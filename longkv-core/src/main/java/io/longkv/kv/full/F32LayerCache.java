package io.longkv.kv.full;

import io.longkv.kv.LayerKvCache;
import io.longkv.kv.attention.DenseAttention;
import java.util.Arrays;

/** Keys and values in float32, contiguous per layer and grown by doubling. */
public final class F32LayerCache implements LayerKvCache {
    private final int kvDim;
    private final DenseAttention attention;
    private float[] keys;
    private float[] values;
    private int length;

    public F32LayerCache(int heads, int kvHeads, int headDim) {
        this.kvDim = kvHeads * headDim;
        this.attention = new DenseAttention(heads, kvHeads, headDim);
        this.keys = new float[16 * kvDim];
        this.values = new float[16 * kvDim];
    }

    @Override
    public void append(int position, float[] k, float[] v, int tokens) {
        if (position != length) {
            throw new IllegalStateException("append at position " + position + " but the cache holds " + length);
        }
        int needed = (length + tokens) * kvDim;
        if (needed > keys.length) {
            int capacity = Math.max(needed, keys.length * 2);
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        System.arraycopy(k, 0, keys, length * kvDim, tokens * kvDim);
        System.arraycopy(v, 0, values, length * kvDim, tokens * kvDim);
        length += tokens;
    }

    @Override
    public void attend(int position, float[] queries, int tokens, float[] out) {
        attention.attend(keys, values, position, queries, tokens, out);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void truncate(int newLength) {
        length = Math.min(length, newLength);
    }

    @Override
    public long bytes() {
        return 2L * length * kvDim * Float.BYTES;
    }
}
