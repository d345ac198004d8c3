package io.longkv.kv.block;

import io.longkv.tensor.VectorMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Keys and values as IEEE half floats; the kernels widen a run of rows to floats in scratch. */
final class F16Block extends KvBlock {
    private final short[] keys;
    private final short[] values;

    F16Block(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        super(pool, tokens, kvHeads, headDim, bytes);
        keys = new short[tokens * kvHeads * headDim];
        values = new short[tokens * kvHeads * headDim];
    }

    @Override
    public KvDtype dtype() {
        return KvDtype.F16;
    }

    private int offset(int head, int slot) {
        return (head * tokens + slot) * headDim;
    }

    @Override
    public void write(int slot, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            VectorMath.f32ToF16(k, kOff + h * headDim, keys, offset(h, slot), headDim);
            VectorMath.f32ToF16(v, vOff + h * headDim, values, offset(h, slot), headDim);
        }
    }

    @Override
    public void readKeys(int head, int from, int to, float[] dst, int dstOffset) {
        VectorMath.f16ToF32(keys, offset(head, from), dst, dstOffset, (to - from) * headDim);
    }

    @Override
    public void readValues(int head, int from, int to, float[] dst, int dstOffset) {
        VectorMath.f16ToF32(values, offset(head, from), dst, dstOffset, (to - from) * headDim);
    }

    @Override
    protected void copyFrom(KvBlock other, int slots) {
        F16Block o = (F16Block) other;
        for (int h = 0; h < kvHeads; h++) {
            System.arraycopy(o.keys, offset(h, 0), keys, offset(h, 0), slots * headDim);
            System.arraycopy(o.values, offset(h, 0), values, offset(h, 0), slots * headDim);
        }
    }

    @Override
    public void save(DataOutput out, int slots) throws IOException {
        for (int h = 0; h < kvHeads; h++) {
            BlockIo.writeShorts(out, keys, offset(h, 0), slots * headDim);
            BlockIo.writeShorts(out, values, offset(h, 0), slots * headDim);
        }
    }

    @Override
    public void load(DataInput in, int slots) throws IOException {
        for (int h = 0; h < kvHeads; h++) {
            BlockIo.readShorts(in, keys, offset(h, 0), slots * headDim);
            BlockIo.readShorts(in, values, offset(h, 0), slots * headDim);
        }
    }
}
