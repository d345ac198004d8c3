package io.longkv.kv.full;

import io.longkv.kv.KvMemory;
import io.longkv.kv.LayerKvCache;
import io.longkv.tensor.VectorMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.Arrays;

/**
 * The oracle for the paged cache: keys and values in one growing f32 array, attention per (row, head)
 * with a score array and a two-pass softmax, in float as the forward pass's cache did before paging.
 */
final class PlainF32Cache implements LayerKvCache {
    private final int heads;
    private final int headDim;
    private final int group;
    private final int kvDim;
    private final float scale;
    private float[] keys = new float[0];
    private float[] values = new float[0];
    private int length;

    PlainF32Cache(int heads, int kvHeads, int headDim) {
        this.heads = heads;
        this.headDim = headDim;
        this.group = heads / kvHeads;
        this.kvDim = kvHeads * headDim;
        this.scale = (float) (1 / Math.sqrt(headDim));
    }

    @Override
    public void append(int position, float[] k, float[] v, int tokens) {
        keys = Arrays.copyOf(keys, (length + tokens) * kvDim);
        values = Arrays.copyOf(values, (length + tokens) * kvDim);
        System.arraycopy(k, 0, keys, length * kvDim, tokens * kvDim);
        System.arraycopy(v, 0, values, length * kvDim, tokens * kvDim);
        length += tokens;
    }

    @Override
    public void attend(int position, float[] q, int tokens, float[] out) {
        for (int row = 0; row < tokens; row++) {
            int visible = position + row + 1;
            float[] s = new float[visible];
            for (int h = 0; h < heads; h++) {
                int qo = (row * heads + h) * headDim;
                int kv = (h / group) * headDim;
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < visible; t++) {
                    s[t] = VectorMath.dot(q, qo, keys, t * kvDim + kv, headDim) * scale;
                    max = Math.max(max, s[t]);
                }
                float sum = 0;
                for (int t = 0; t < visible; t++) {
                    s[t] = (float) Math.exp(s[t] - max);
                    sum += s[t];
                }
                Arrays.fill(out, qo, qo + headDim, 0f);
                for (int t = 0; t < visible; t++) {
                    VectorMath.axpy(s[t] / sum, values, t * kvDim + kv, out, qo, headDim);
                }
            }
        }
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void truncate(int newLength) {
        length = newLength;
    }

    @Override
    public LayerKvCache fork() {
        throw new UnsupportedOperationException("the test oracle does not fork");
    }

    @Override
    public KvMemory memory() {
        return new KvMemory(2L * length * kvDim * Float.BYTES, 0);
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    public void save(DataOutput out) {
        throw new UnsupportedOperationException("the test oracle is not saved");
    }

    @Override
    public void load(DataInput in) {
        throw new UnsupportedOperationException("the test oracle is not loaded");
    }

    @Override
    public void close() {
        length = 0;
    }
}
