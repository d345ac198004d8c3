package io.longkv.kv.kivi;

import io.longkv.kv.KvMemory;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.attention.PagedAttention;
import io.longkv.kv.block.BlockTable;
import io.longkv.kv.block.KvDtype;
import io.longkv.kv.quant.PackedKernels;
import io.longkv.kv.quant.PackedRows;
import io.longkv.kv.quant.Quantizer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One layer of KIVI. Positions {@code [0, quantizedKeys)} have packed keys (rows of {@link #keys} are key groups),
 * {@code [0, quantizedValues)} packed values (rows of {@link #values} are tokens), and the f32 {@link #tail}
 * holds keys and values of {@code [tail.start(), length)}: at least what is not quantized, plus everything since
 * the end-of-prompt checkpoint so truncation back to it is exact.
 */
final class KiviLayerCache implements LayerKvCache {
    private final LayerContext context;
    private final int bits;
    private final int group;
    private final int residual;
    private final int rollback;
    private final int headDim;
    private final int kvHeads;
    private final PagedAttention attention;
    private final PackedRows keys;
    private final PackedRows values;
    private final BlockTable tail;
    private final KiviRuns runs;
    private final float[] rowScratch;
    private final int[] codeScratch;
    private final short[] pair = new short[2];
    private boolean prefilling;
    private long bytesRead;

    KiviLayerCache(LayerContext context, int bits, int group, int residual, int rollback) {
        this(context, bits, group, residual, rollback,
                new PackedRows(context.blocks(), context.kvHeads(), PackedKernels.keyGroupInts(group, context.headDim(), bits),
                        2 * context.headDim()),
                new PackedRows(context.blocks(), context.kvHeads(), Quantizer.ints(context.headDim(), bits),
                        2 * context.headDim() / group),
                new BlockTable(context.blocks(), KvDtype.F32, context.kvHeads(), context.headDim()));
    }

    private KiviLayerCache(LayerContext context, int bits, int group, int residual, int rollback, PackedRows keys,
                           PackedRows values, BlockTable tail) {
        this.context = context;
        this.bits = bits;
        this.group = group;
        this.residual = residual;
        this.rollback = rollback;
        this.headDim = context.headDim();
        this.kvHeads = context.kvHeads();
        this.attention = new PagedAttention(context.heads(), kvHeads, headDim);
        this.keys = keys;
        this.values = values;
        this.tail = tail;
        this.runs = new KiviRuns(keys, values, group, bits, headDim, tail.blockTokens());
        this.rowScratch = new float[group * headDim];
        this.codeScratch = new int[group];
    }

    /** Positions whose keys are quantized. */
    int quantizedKeys() {
        return keys.rows() * group;
    }

    /** Positions whose values are quantized. */
    int quantizedValues() {
        return values.rows();
    }

    /** First position still held at full precision. */
    int fullPrecisionFrom() {
        return tail.start();
    }

    /** The packed keys (tests compare against their dequantized form). */
    PackedRows packedKeys() {
        return keys;
    }

    PackedRows packedValues() {
        return values;
    }

    @Override
    public void append(int position, float[] k, float[] v, int tokens) {
        if (position != tail.length()) {
            throw new IllegalStateException("append at position " + position + " but the cache holds " + tail.length());
        }
        if (!prefilling) {
            // KIVI's flushes, done lazily before the next token: the previous step attended the full windows.
            compress();
            if (values.rows() - tail.start() > rollback) {
                tail.releaseBelow(values.rows());
            }
        }
        prefilling |= tokens > 1;
        tail.append(k, v, tokens);
    }

    @Override
    public void attend(int position, float[] queries, int tokens, float[] out) {
        int length = tail.length();
        if (position + tokens != length) {
            throw new IllegalStateException("attend rows " + position + ".." + (position + tokens - 1)
                    + " but the cache holds " + length + " positions");
        }
        long slots = attention.attend(runs.of(tail.blocks()), length, queries, tokens, out);
        // Exact for decode (every slot once); prefill tiles are counted at the context's average bytes per slot.
        bytesRead += slots * readableBytes() / length;
    }

    /** Bytes one decode step reads: key groups and value tokens with their params, the rest at f32. */
    private long readableBytes() {
        long fullRow = (long) kvHeads * headDim * Float.BYTES;
        return keys.rows() * keys.rowBytes() + values.rows() * values.rowBytes()
                + (2L * tail.length() - quantizedKeys() - values.rows()) * fullRow;
    }

    /** Ends a prompt: quantize as KIVI does after prefill, and checkpoint this length for truncation. */
    @Override
    public void endPrefill() {
        compress();
        prefilling = false;
        tail.releaseBelow(values.rows());
    }

    /**
     * KIVI's at-rest state of the current length: keys quantized in whole residual windows (the first
     * floor(length / R) * R positions), values all but the last R.
     */
    private void compress() {
        int length = tail.length();
        int keyTarget = length / residual * residual;
        if (keyTarget > quantizedKeys()) {
            keys.reserve((keyTarget - quantizedKeys()) / group);
        }
        while (quantizedKeys() < keyTarget) {
            quantizeKeyGroup(keys.addRow());
        }
        int valueTarget = Math.max(0, length - residual);
        if (valueTarget > values.rows()) {
            values.reserve(valueTarget - values.rows());
        }
        while (values.rows() < valueTarget) {
            quantizeValue(values.addRow());
        }
    }

    /** Per channel over the group's tokens. */
    private void quantizeKeyGroup(int row) {
        int from = row * group;
        for (int h = 0; h < kvHeads; h++) {
            tail.read(true, h, from, from + group, rowScratch, 0);
            for (int c = 0; c < headDim; c++) {
                quantizeKeyChannel(h, row, c);
                for (int t = 0; t < group; t++) {
                    Quantizer.setCode(keys.codes(h), keys.codeBase(row), PackedKernels.keyElement(t, c, headDim), bits, codeScratch[t]);
                }
            }
        }
    }

    /** One channel of a key group; its scale and min go to the group's scale and min blocks (the kernel's layout). */
    private void quantizeKeyChannel(int head, int row, int channel) {
        short[] params = keys.params(head);
        int base = keys.paramBase(row);
        Quantizer.quantize(rowScratch, channel, headDim, group, bits, pair, 0, codeScratch);
        params[base + channel] = pair[0];
        params[base + headDim + channel] = pair[1];
    }

    /** Per token over groups of channels. */
    private void quantizeValue(int token) {
        for (int h = 0; h < kvHeads; h++) {
            tail.read(false, h, token, token + 1, rowScratch, 0);
            for (int j = 0; j < headDim / group; j++) {
                Quantizer.quantize(rowScratch, j * group, 1, group, bits, values.params(h), values.paramBase(token) + 2 * j, codeScratch);
                for (int c = 0; c < group; c++) {
                    Quantizer.setCode(values.codes(h), values.codeBase(token), j * group + c, bits, codeScratch[c]);
                }
            }
        }
    }

    @Override
    public int length() {
        return tail.length();
    }

    /**
     * Exact as long as the tail still holds what the shorter length keeps at full precision (its last R values),
     * i.e. back to the end of the last prompt, or anywhere while nothing older was quantized.
     */
    @Override
    public boolean canTruncate(int newLength) {
        return newLength >= 0 && newLength <= tail.length() && Math.max(0, newLength - residual) >= tail.start();
    }

    @Override
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > tail.length()) {
            throw new IllegalArgumentException("cannot truncate a cache of " + tail.length() + " positions to " + newLength);
        }
        if (!canTruncate(newLength)) {
            throw new IllegalStateException("kivi cannot truncate from " + tail.length() + " to " + newLength
                    + " positions: values before " + tail.start() + " exist only quantized"
                    + " (truncation reaches back to the end of the last prompt)");
        }
        keys.truncate(Math.min(keys.rows(), newLength / residual * residual / group));
        values.truncate(Math.min(values.rows(), Math.max(0, newLength - residual)));
        tail.truncate(newLength);
    }

    @Override
    public LayerKvCache fork() {
        KiviLayerCache copy = new KiviLayerCache(context, bits, group, residual, rollback, keys.copy(), values.copy(), tail.fork());
        copy.prefilling = prefilling;
        return copy;
    }

    @Override
    public KvMemory memory() {
        return new KvMemory(keys.bytes() + values.bytes() + tail.bytes(), 0);
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void save(DataOutput out) throws IOException {
        out.writeBoolean(prefilling);
        keys.save(out);
        values.save(out);
        tail.save(out);
    }

    @Override
    public void load(DataInput in) throws IOException {
        if (tail.length() != 0) {
            throw new IllegalStateException("load into a cache that holds " + tail.length() + " positions");
        }
        try {
            boolean savedPrefilling = in.readBoolean();
            keys.load(in);
            values.load(in);
            tail.load(in);
            if (tail.start() > values.rows() || values.rows() > quantizedKeys() || quantizedKeys() > tail.length()) {
                throw new IOException("inconsistent kivi state: " + tail.length() + " positions, full precision from "
                        + tail.start() + ", " + quantizedKeys() + " keys and " + values.rows() + " values quantized");
            }
            prefilling = savedPrefilling;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        tail.close();
        keys.close();
        values.close();
    }
}
