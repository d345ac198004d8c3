package io.longkv.kv.block;

import io.longkv.kv.attention.TiledKernels;
import io.longkv.tensor.VectorMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Keys and values as IEEE half floats, widened to floats in scratch by the kernels. Both are stored in the
 * tiles of {@link TiledKernels} (keys in tiles of slots, values in tiles of dims, slots padded to whole tiles),
 * so a run's halves are a few contiguous ranges, widened in one flat loop each, and the kernels then walk them
 * with a constant stride. Files keep rows.
 */
final class F16Block extends KvBlock {
    /** Widened keys and values of one head: this block's own scratch, as padded tiles can outgrow the callers'. */
    private static final ThreadLocal<float[]> WIDE_KEYS = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> WIDE_VALUES = ThreadLocal.withInitial(() -> new float[0]);

    /** Slots per head, padded to whole tiles. */
    private final int width;
    private final short[] keys;
    private final short[] values;

    F16Block(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        super(pool, tokens, kvHeads, headDim, bytes);
        width = TiledKernels.width(tokens);
        keys = new short[kvHeads * headDim * width];
        values = new short[kvHeads * headDim * width];
    }

    @Override
    public KvDtype dtype() {
        return KvDtype.F16;
    }

    /** Start of a head's region in either array. */
    private int region(int head) {
        return head * headDim * width;
    }

    private int key(int head, int slot, int dim) {
        return region(head) + TiledKernels.keyIndex(slot, dim, headDim);
    }

    private int value(int head, int slot, int dim) {
        return region(head) + TiledKernels.valueIndex(slot, dim, headDim, width);
    }

    @Override
    public void write(int slot, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            for (int d = 0; d < headDim; d++) {
                keys[key(h, slot, d)] = Float.floatToFloat16(k[kOff + h * headDim + d]);
            }
            for (int d = 0; d < headDim; d += TiledKernels.TILE) {
                int n = Math.min(TiledKernels.TILE, headDim - d);
                VectorMath.f32ToF16(v, vOff + h * headDim + d, values, value(h, slot, d), n);
            }
        }
    }

    @Override
    public void readKeys(int head, int from, int to, float[] dst, int dstOffset) {
        readRows(keys, this::key, head, from, to, dst, dstOffset);
    }

    @Override
    public void readValues(int head, int from, int to, float[] dst, int dstOffset) {
        readRows(values, this::value, head, from, to, dst, dstOffset);
    }

    private void readRows(short[] tiles, Layout layout, int head, int from, int to, float[] dst, int dstOffset) {
        for (int t = from; t < to; t++) {
            for (int d = 0; d < headDim; d++) {
                dst[dstOffset + (t - from) * headDim + d] = Float.float16ToFloat(tiles[layout.at(head, t, d)]);
            }
        }
    }

    @Override
    public void scores(int head, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        float[] wide = wide(WIDE_KEYS);
        // The key tiles covering the run are one contiguous range.
        int first = from / TiledKernels.TILE * TiledKernels.TILE * headDim;
        int last = TiledKernels.width(to) * headDim;
        VectorMath.f16ToF32(keys, region(head) + first, wide, first, last - first);
        TiledKernels.scores(wide, 0, from, to, headDim, q, rows, scores, stride);
    }

    @Override
    public void accumulate(int head, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
        float[] wide = wide(WIDE_VALUES);
        // In each dim tile, the run's slots are one contiguous range.
        for (int d = 0; d < headDim; d += TiledKernels.TILE) {
            int first = TiledKernels.valueIndex(from, d, headDim, width);
            int last = TiledKernels.valueIndex(to, d, headDim, width);
            VectorMath.f16ToF32(values, region(head) + first, wide, first, last - first);
        }
        TiledKernels.accumulate(wide, 0, width, from, to, headDim, p, stride, rows, acc);
    }

    private float[] wide(ThreadLocal<float[]> scratch) {
        float[] wide = scratch.get();
        if (wide.length < headDim * width) {
            wide = new float[headDim * width];
            scratch.set(wide);
        }
        return wide;
    }

    @Override
    protected void copyFrom(KvBlock other, int slots) {
        F16Block o = (F16Block) other;
        System.arraycopy(o.keys, 0, keys, 0, keys.length);
        System.arraycopy(o.values, 0, values, 0, values.length);
    }

    @Override
    public void save(DataOutput out, int slots) throws IOException {
        short[] rows = new short[slots * headDim];
        for (int h = 0; h < kvHeads; h++) {
            toRows(keys, this::key, h, slots, rows);
            BlockIo.writeShorts(out, rows, 0, slots * headDim);
            toRows(values, this::value, h, slots, rows);
            BlockIo.writeShorts(out, rows, 0, slots * headDim);
        }
    }

    @Override
    public void load(DataInput in, int slots) throws IOException {
        short[] rows = new short[slots * headDim];
        for (int h = 0; h < kvHeads; h++) {
            BlockIo.readShorts(in, rows, 0, slots * headDim);
            fromRows(rows, h, slots, keys, this::key);
            BlockIo.readShorts(in, rows, 0, slots * headDim);
            fromRows(rows, h, slots, values, this::value);
        }
    }

    /** Where element (slot, dim) of a head lives in one of the tiled arrays. */
    private interface Layout {
        int at(int head, int slot, int dim);
    }

    private void toRows(short[] tiles, Layout layout, int head, int slots, short[] rows) {
        for (int t = 0; t < slots; t++) {
            for (int d = 0; d < headDim; d++) {
                rows[t * headDim + d] = tiles[layout.at(head, t, d)];
            }
        }
    }

    private void fromRows(short[] rows, int head, int slots, short[] tiles, Layout layout) {
        for (int t = 0; t < slots; t++) {
            for (int d = 0; d < headDim; d++) {
                tiles[layout.at(head, t, d)] = rows[t * headDim + d];
            }
        }
    }
}
