package io.longkv.kv.block;

import io.longkv.kv.attention.TiledKernels;
import io.longkv.tensor.VectorMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Keys and values as IEEE half floats in {@link Tiles}, widened to floats in scratch by the kernels: a run's
 * halves are a few contiguous ranges, widened in one flat loop each, and the kernels then walk them with a
 * constant stride. Files keep rows.
 */
final class F16Block extends KvBlock {
    /** Widened keys and values of one head: this block's own scratch, as padded tiles can outgrow the callers'. */
    private static final ThreadLocal<float[]> WIDE_KEYS = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> WIDE_VALUES = ThreadLocal.withInitial(() -> new float[0]);

    private final Tiles tiles;
    /** Keys and values of every head, as {@link Tiles} lays them out. */
    private final short[] data;

    F16Block(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        super(pool, tokens, kvHeads, headDim, bytes);
        tiles = new Tiles(tokens, headDim);
        data = new short[tiles.size(kvHeads)];
    }

    @Override
    public KvDtype dtype() {
        return KvDtype.F16;
    }

    @Override
    public void write(int slot, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            for (int d = 0; d < headDim; d++) {
                data[tiles.key(h, slot, d)] = Float.floatToFloat16(k[kOff + h * headDim + d]);
            }
            for (int d = 0; d < headDim; d += TiledKernels.TILE) {
                int n = Math.min(TiledKernels.TILE, headDim - d);
                VectorMath.f32ToF16(v, vOff + h * headDim + d, data, tiles.value(h, slot, d), n);
            }
        }
    }

    @Override
    public void readKeys(int head, int from, int to, float[] dst, int dstOffset) {
        tiles.keys(head, from, to, (row, tile) -> dst[dstOffset + row] = Float.float16ToFloat(data[tile]));
    }

    @Override
    public void readValues(int head, int from, int to, float[] dst, int dstOffset) {
        tiles.values(head, from, to, (row, tile) -> dst[dstOffset + row] = Float.float16ToFloat(data[tile]));
    }

    @Override
    public void scores(int head, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        float[] wide = wide(WIDE_KEYS);
        // The key tiles covering the run are one contiguous range.
        int first = from / TiledKernels.TILE * TiledKernels.TILE * headDim;
        int last = TiledKernels.width(to) * headDim;
        VectorMath.f16ToF32(data, tiles.keyStart(head) + first, wide, first, last - first);
        TiledKernels.scores(wide, 0, from, to, headDim, q, rows, scores, stride);
    }

    @Override
    public void accumulate(int head, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
        float[] wide = wide(WIDE_VALUES);
        // In each dim tile, the run's slots are one contiguous range.
        for (int d = 0; d < headDim; d += TiledKernels.TILE) {
            int first = TiledKernels.valueIndex(from, d, headDim, tiles.width);
            int last = TiledKernels.valueIndex(to, d, headDim, tiles.width);
            VectorMath.f16ToF32(data, tiles.valueStart(head) + first, wide, first, last - first);
        }
        TiledKernels.accumulate(wide, 0, tiles.width, from, to, headDim, p, stride, rows, acc);
    }

    private float[] wide(ThreadLocal<float[]> scratch) {
        float[] wide = scratch.get();
        if (wide.length < headDim * tiles.width) {
            wide = new float[headDim * tiles.width];
            scratch.set(wide);
        }
        return wide;
    }

    @Override
    protected void copyFrom(KvBlock other, int slots) {
        F16Block o = (F16Block) other;
        System.arraycopy(o.data, 0, data, 0, data.length);
    }

    @Override
    public void save(DataOutput out, int slots) throws IOException {
        short[] rows = new short[slots * headDim];
        for (int h = 0; h < kvHeads; h++) {
            tiles.keys(h, 0, slots, (row, tile) -> rows[row] = data[tile]);
            BlockIo.writeShorts(out, rows, 0, slots * headDim);
            tiles.values(h, 0, slots, (row, tile) -> rows[row] = data[tile]);
            BlockIo.writeShorts(out, rows, 0, slots * headDim);
        }
    }

    @Override
    public void load(DataInput in, int slots) throws IOException {
        short[] rows = new short[slots * headDim];
        for (int h = 0; h < kvHeads; h++) {
            BlockIo.readShorts(in, rows, 0, slots * headDim);
            tiles.keys(h, 0, slots, (row, tile) -> data[tile] = rows[row]);
            BlockIo.readShorts(in, rows, 0, slots * headDim);
            tiles.values(h, 0, slots, (row, tile) -> data[tile] = rows[row]);
        }
    }
}
