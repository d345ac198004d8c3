package io.longkv.kv.block;

import io.longkv.kv.attention.AttentionMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Keys and values as float32 rows, the layout llama.cpp's exact order reads in place ({@link KvDtype#F32_ROWS}):
 * its kernels sum along head_dim, and over tiles they measured about 1.3x slower (scores and values alike).
 */
final class F32RowBlock extends KvBlock {
    private final float[] keys;
    private final float[] values;

    F32RowBlock(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        super(pool, tokens, kvHeads, headDim, bytes);
        keys = new float[tokens * kvHeads * headDim];
        values = new float[tokens * kvHeads * headDim];
    }

    @Override
    public KvDtype dtype() {
        return KvDtype.F32_ROWS;
    }

    private int offset(int head, int slot) {
        return (head * tokens + slot) * headDim;
    }

    @Override
    public void write(int slot, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            System.arraycopy(k, kOff + h * headDim, keys, offset(h, slot), headDim);
            System.arraycopy(v, vOff + h * headDim, values, offset(h, slot), headDim);
        }
    }

    @Override
    public void readKeys(int head, int from, int to, float[] dst, int dstOffset) {
        System.arraycopy(keys, offset(head, from), dst, dstOffset, (to - from) * headDim);
    }

    @Override
    public void readValues(int head, int from, int to, float[] dst, int dstOffset) {
        System.arraycopy(values, offset(head, from), dst, dstOffset, (to - from) * headDim);
    }

    @Override
    public void scores(int head, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        AttentionMath.scores(keys, offset(head, from), to - from, headDim, q, rows, scores, stride);
    }

    @Override
    public void accumulate(int head, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
        AttentionMath.accumulate(values, offset(head, from), to - from, headDim, p, stride, rows, acc);
    }

    @Override
    public void ggmlScores(int head, int from, int to, float[] q, int qOff, int rows, float[] scores, int off, int stride,
                           float[] scratch) {
        AttentionMath.ggmlScores(keys, offset(head, from), to - from, headDim, q, qOff, rows, scores, off, stride);
    }

    @Override
    public void ggmlValueLanes(int head, int from, int to, int dim, int width, float[] p, int pOff, int pStride, int rows,
                               int lane, int lanes, float[] partial, float[] scratch) {
        AttentionMath.ggmlValueLanes(values, offset(head, from) + dim, to - from, headDim, width, p, pOff, pStride, rows,
                lane, lanes, partial);
    }

    @Override
    protected void copyFrom(KvBlock other, int slots) {
        F32RowBlock o = (F32RowBlock) other;
        for (int h = 0; h < kvHeads; h++) {
            System.arraycopy(o.keys, offset(h, 0), keys, offset(h, 0), slots * headDim);
            System.arraycopy(o.values, offset(h, 0), values, offset(h, 0), slots * headDim);
        }
    }

    @Override
    public void save(DataOutput out, int slots) throws IOException {
        for (int h = 0; h < kvHeads; h++) {
            BlockIo.writeFloats(out, keys, offset(h, 0), slots * headDim);
            BlockIo.writeFloats(out, values, offset(h, 0), slots * headDim);
        }
    }

    @Override
    public void load(DataInput in, int slots) throws IOException {
        for (int h = 0; h < kvHeads; h++) {
            BlockIo.readFloats(in, keys, offset(h, 0), slots * headDim);
            BlockIo.readFloats(in, values, offset(h, 0), slots * headDim);
        }
    }
}
