package io.longkv.kv.block;

import io.longkv.kv.attention.TiledKernels;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Keys and values as float32 in {@link Tiles}; the online kernels ({@link TiledKernels}) read the array in
 * place. llama.cpp's exact order reads rows ({@link F32RowBlock}). Files keep rows.
 */
final class F32Block extends KvBlock {
    private final Tiles tiles;
    /** Keys and values of every head, as {@link Tiles} lays them out. */
    private final float[] data;

    F32Block(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        super(pool, tokens, kvHeads, headDim, bytes);
        tiles = new Tiles(tokens, headDim);
        data = new float[tiles.size(kvHeads)];
    }

    @Override
    public KvDtype dtype() {
        return KvDtype.F32;
    }

    @Override
    public void write(int slot, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            for (int d = 0; d < headDim; d++) {
                data[tiles.key(h, slot, d)] = k[kOff + h * headDim + d];
            }
            for (int d = 0; d < headDim; d += TiledKernels.TILE) {
                int n = Math.min(TiledKernels.TILE, headDim - d);
                System.arraycopy(v, vOff + h * headDim + d, data, tiles.value(h, slot, d), n);
            }
        }
    }

    @Override
    public void readKeys(int head, int from, int to, float[] dst, int dstOffset) {
        tiles.keys(head, from, to, (row, tile) -> dst[dstOffset + row] = data[tile]);
    }

    @Override
    public void readValues(int head, int from, int to, float[] dst, int dstOffset) {
        tiles.values(head, from, to, (row, tile) -> dst[dstOffset + row] = data[tile]);
    }

    @Override
    public void scores(int head, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        TiledKernels.scores(data, tiles.keyStart(head), from, to, headDim, q, rows, scores, stride);
    }

    @Override
    public void accumulate(int head, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
        TiledKernels.accumulate(data, tiles.valueStart(head), tiles.width, from, to, headDim, p, stride, rows, acc);
    }

    @Override
    protected void copyFrom(KvBlock other, int slots) {
        F32Block o = (F32Block) other;
        System.arraycopy(o.data, 0, data, 0, data.length);
    }

    @Override
    public void save(DataOutput out, int slots) throws IOException {
        float[] rows = new float[slots * headDim];
        for (int h = 0; h < kvHeads; h++) {
            readKeys(h, 0, slots, rows, 0);
            BlockIo.writeFloats(out, rows, 0, slots * headDim);
            readValues(h, 0, slots, rows, 0);
            BlockIo.writeFloats(out, rows, 0, slots * headDim);
        }
    }

    @Override
    public void load(DataInput in, int slots) throws IOException {
        float[] rows = new float[slots * headDim];
        for (int h = 0; h < kvHeads; h++) {
            BlockIo.readFloats(in, rows, 0, slots * headDim);
            tiles.keys(h, 0, slots, (row, tile) -> data[tile] = rows[row]);
            BlockIo.readFloats(in, rows, 0, slots * headDim);
            tiles.values(h, 0, slots, (row, tile) -> data[tile] = rows[row]);
        }
    }
}
