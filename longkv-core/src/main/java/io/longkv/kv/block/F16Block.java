package io.longkv.kv.block;

import io.longkv.kv.attention.AttentionMath;
import io.longkv.tensor.VectorMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Keys and values as IEEE half floats, widened to floats in scratch by the kernels. Each head's keys are
 * stored transposed ({@code [dim][slot]}, slots padded to {@link AttentionMath#TILE_SLOTS}), so scores build
 * up one slot per vector lane with no horizontal sums ({@link AttentionMath#transposedScores}); values stay
 * in rows ({@code [slot][dim]}), the layout the weighted sum wants. Files keep rows for both.
 */
final class F16Block extends KvBlock {
    /** Widened key tiles: its own scratch, as a padded tile can outgrow the callers' (tokens x headDim floats). */
    private static final ThreadLocal<float[]> WIDE_KEYS = ThreadLocal.withInitial(() -> new float[0]);

    /** Slots per transposed key row. */
    private final int width;
    private final short[] keys;
    private final short[] values;

    F16Block(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        super(pool, tokens, kvHeads, headDim, bytes);
        width = keySlots(tokens);
        keys = new short[kvHeads * headDim * width];
        values = new short[tokens * kvHeads * headDim];
    }

    /** Slots per transposed key row of a block of {@code tokens}: a whole number of kernel tiles. */
    static int keySlots(int tokens) {
        return (tokens + AttentionMath.TILE_SLOTS - 1) / AttentionMath.TILE_SLOTS * AttentionMath.TILE_SLOTS;
    }

    @Override
    public KvDtype dtype() {
        return KvDtype.F16;
    }

    private int keyTile(int head) {
        return head * headDim * width;
    }

    private int valueRow(int head, int slot) {
        return (head * tokens + slot) * headDim;
    }

    @Override
    public void write(int slot, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            int tile = keyTile(h) + slot;
            for (int d = 0; d < headDim; d++) {
                keys[tile + d * width] = Float.floatToFloat16(k[kOff + h * headDim + d]);
            }
            VectorMath.f32ToF16(v, vOff + h * headDim, values, valueRow(h, slot), headDim);
        }
    }

    @Override
    public void readKeys(int head, int from, int to, float[] dst, int dstOffset) {
        int tile = keyTile(head);
        for (int t = from; t < to; t++) {
            for (int d = 0; d < headDim; d++) {
                dst[dstOffset + (t - from) * headDim + d] = Float.float16ToFloat(keys[tile + d * width + t]);
            }
        }
    }

    @Override
    public void readValues(int head, int from, int to, float[] dst, int dstOffset) {
        VectorMath.f16ToF32(values, valueRow(head, from), dst, dstOffset, (to - from) * headDim);
    }

    @Override
    public void scores(int head, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        float[] wide = WIDE_KEYS.get();
        if (wide.length < headDim * width) {
            wide = new float[headDim * width];
            WIDE_KEYS.set(wide);
        }
        int first = from / AttentionMath.TILE_SLOTS * AttentionMath.TILE_SLOTS;
        int last = keySlots(to);
        if (first == 0 && last == width) {
            VectorMath.f16ToF32(keys, keyTile(head), wide, 0, headDim * width);
        } else {
            // Only the tiles the run covers (a Quest page, the partly filled last block), dimension by dimension.
            for (int d = 0; d < headDim; d++) {
                VectorMath.f16ToF32(keys, keyTile(head) + d * width + first, wide, d * width + first, last - first);
            }
        }
        AttentionMath.transposedScores(wide, width, from, to, headDim, q, rows, scores, stride);
    }

    @Override
    protected void copyFrom(KvBlock other, int slots) {
        F16Block o = (F16Block) other;
        System.arraycopy(o.keys, 0, keys, 0, keys.length);
        for (int h = 0; h < kvHeads; h++) {
            System.arraycopy(o.values, valueRow(h, 0), values, valueRow(h, 0), slots * headDim);
        }
    }

    @Override
    public void save(DataOutput out, int slots) throws IOException {
        short[] rows = new short[slots * headDim];
        for (int h = 0; h < kvHeads; h++) {
            int tile = keyTile(h);
            for (int t = 0; t < slots; t++) {
                for (int d = 0; d < headDim; d++) {
                    rows[t * headDim + d] = keys[tile + d * width + t];
                }
            }
            BlockIo.writeShorts(out, rows, 0, slots * headDim);
            BlockIo.writeShorts(out, values, valueRow(h, 0), slots * headDim);
        }
    }

    @Override
    public void load(DataInput in, int slots) throws IOException {
        short[] rows = new short[slots * headDim];
        for (int h = 0; h < kvHeads; h++) {
            BlockIo.readShorts(in, rows, 0, slots * headDim);
            int tile = keyTile(h);
            for (int t = 0; t < slots; t++) {
                for (int d = 0; d < headDim; d++) {
                    keys[tile + d * width + t] = rows[t * headDim + d];
                }
            }
            BlockIo.readShorts(in, values, valueRow(h, 0), slots * headDim);
        }
    }
}
