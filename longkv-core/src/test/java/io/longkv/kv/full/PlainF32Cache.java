package io.longkv.kv.full;

import io.longkv.kv.KvMemory;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.attention.AttentionMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.Arrays;

/**
 * The oracle for the paged cache: each KV head's keys and values in one growing contiguous f32 array, and per
 * (query row, head) one score row, ggml's softmax and value lanes over all visible keys at once, in llama.cpp's
 * order (32 value lanes for a one-token call, 8 for a chunk), i.e. the forward pass's cache without pages,
 * tiles, blocks or threads.
 */
final class PlainF32Cache implements LayerKvCache {
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int group;
    private final float scale;
    private final float[][] keys;
    private final float[][] values;
    private int length;

    PlainF32Cache(int heads, int kvHeads, int headDim) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.group = heads / kvHeads;
        this.scale = 1f / (float) Math.sqrt(headDim);
        this.keys = new float[kvHeads][0];
        this.values = new float[kvHeads][0];
    }

    @Override
    public void append(int position, float[] k, float[] v, int tokens) {
        for (int kh = 0; kh < kvHeads; kh++) {
            keys[kh] = Arrays.copyOf(keys[kh], (length + tokens) * headDim);
            values[kh] = Arrays.copyOf(values[kh], (length + tokens) * headDim);
            for (int t = 0; t < tokens; t++) {
                int from = (t * kvHeads + kh) * headDim;
                System.arraycopy(k, from, keys[kh], (length + t) * headDim, headDim);
                System.arraycopy(v, from, values[kh], (length + t) * headDim, headDim);
            }
        }
        length += tokens;
    }

    @Override
    public void attend(int position, float[] q, int tokens, float[] out) {
        int lanes = tokens == 1 ? 32 : 8;
        float[] partial = new float[lanes * headDim];
        for (int row = 0; row < tokens; row++) {
            int visible = position + row + 1;
            float[] s = new float[visible];
            for (int h = 0; h < heads; h++) {
                int qo = (row * heads + h) * headDim;
                int kh = h / group;
                AttentionMath.ggmlScores(keys[kh], 0, visible, headDim, q, qo, 1, s, 0, visible);
                AttentionMath.ggmlSoftmax(s, 0, visible, scale);
                Arrays.fill(partial, 0f);
                AttentionMath.ggmlValueLanes(values[kh], 0, visible, headDim, s, 0, 0, lanes, partial);
                AttentionMath.ggmlLaneSum(partial, 0, lanes, headDim, out, qo);
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
        return new KvMemory(2L * length * kvHeads * headDim * Float.BYTES, 0);
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
