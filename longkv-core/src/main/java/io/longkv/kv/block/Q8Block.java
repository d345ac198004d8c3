package io.longkv.kv.block;

import io.longkv.tensor.VectorMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Keys and values as llama.cpp's Q8_0: each run of 32 elements along head_dim is int8 codes times one
 * f16 scale {@code max|x| / 127}. The kernels dequantize a run of rows into scratch.
 */
final class Q8Block extends KvBlock {
    static final int GROUP = 32;

    private final byte[] keys;
    private final byte[] values;
    private final short[] keyScales;
    private final short[] valueScales;

    Q8Block(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        super(pool, tokens, kvHeads, headDim, bytes);
        int n = tokens * kvHeads * headDim;
        keys = new byte[n];
        values = new byte[n];
        keyScales = new short[n / GROUP];
        valueScales = new short[n / GROUP];
    }

    @Override
    public KvDtype dtype() {
        return KvDtype.Q8_0;
    }

    private int offset(int head, int slot) {
        return (head * tokens + slot) * headDim;
    }

    @Override
    public void write(int slot, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            quantize(k, kOff + h * headDim, keys, keyScales, offset(h, slot));
            quantize(v, vOff + h * headDim, values, valueScales, offset(h, slot));
        }
    }

    private void quantize(float[] src, int srcOff, byte[] codes, short[] scales, int dst) {
        for (int g = 0; g < headDim; g += GROUP) {
            float amax = 0;
            for (int i = 0; i < GROUP; i++) {
                amax = Math.max(amax, Math.abs(src[srcOff + g + i]));
            }
            float d = amax / 127;
            float inv = d == 0 ? 0 : 1 / d;
            for (int i = 0; i < GROUP; i++) {
                codes[dst + g + i] = (byte) Math.round(src[srcOff + g + i] * inv);
            }
            scales[(dst + g) / GROUP] = VectorMath.f32ToF16(d);
        }
    }

    private static void dequantize(byte[] codes, short[] scales, int from, int n, float[] dst, int dstOff) {
        for (int g = 0; g < n; g += GROUP) {
            float d = VectorMath.f16ToF32(scales[(from + g) / GROUP]);
            for (int i = 0; i < GROUP; i++) {
                dst[dstOff + g + i] = codes[from + g + i] * d;
            }
        }
    }

    @Override
    public void readKeys(int head, int from, int to, float[] dst, int dstOffset) {
        dequantize(keys, keyScales, offset(head, from), (to - from) * headDim, dst, dstOffset);
    }

    @Override
    public void readValues(int head, int from, int to, float[] dst, int dstOffset) {
        dequantize(values, valueScales, offset(head, from), (to - from) * headDim, dst, dstOffset);
    }

    @Override
    protected void copyFrom(KvBlock other, int slots) {
        Q8Block o = (Q8Block) other;
        for (int h = 0; h < kvHeads; h++) {
            int at = offset(h, 0);
            System.arraycopy(o.keys, at, keys, at, slots * headDim);
            System.arraycopy(o.values, at, values, at, slots * headDim);
            System.arraycopy(o.keyScales, at / GROUP, keyScales, at / GROUP, slots * headDim / GROUP);
            System.arraycopy(o.valueScales, at / GROUP, valueScales, at / GROUP, slots * headDim / GROUP);
        }
    }

    @Override
    public void save(DataOutput out, int slots) throws IOException {
        for (int h = 0; h < kvHeads; h++) {
            int at = offset(h, 0);
            out.write(keys, at, slots * headDim);
            out.write(values, at, slots * headDim);
            BlockIo.writeShorts(out, keyScales, at / GROUP, slots * headDim / GROUP);
            BlockIo.writeShorts(out, valueScales, at / GROUP, slots * headDim / GROUP);
        }
    }

    @Override
    public void load(DataInput in, int slots) throws IOException {
        for (int h = 0; h < kvHeads; h++) {
            int at = offset(h, 0);
            in.readFully(keys, at, slots * headDim);
            in.readFully(values, at, slots * headDim);
            BlockIo.readShorts(in, keyScales, at / GROUP, slots * headDim / GROUP);
            BlockIo.readShorts(in, valueScales, at / GROUP, slots * headDim / GROUP);
        }
    }
}
