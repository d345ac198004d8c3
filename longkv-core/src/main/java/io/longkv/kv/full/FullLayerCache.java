package io.longkv.kv.full;

import io.longkv.kv.KvMemory;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.attention.GgmlAttention;
import io.longkv.kv.attention.PagedAttention;
import io.longkv.kv.block.BlockPool;
import io.longkv.kv.block.KvBlock;
import io.longkv.kv.block.KvDtype;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/** Paged storage of every position: block b holds positions {@code [b * blockTokens, (b + 1) * blockTokens)}. */
final class FullLayerCache implements LayerKvCache {
    private final LayerContext context;
    private final KvDtype dtype;
    private final BlockPool pool;
    private final int blockTokens;
    private final int kvDim;
    private final PagedAttention attention;
    /** llama.cpp's exact order over f32 rows ({@link KvDtype#F32_ROWS}), or null for online softmax. */
    private final GgmlAttention exact;
    private KvBlock[] blocks;
    private int blockCount;
    private int length;
    private long bytesRead;

    FullLayerCache(LayerContext context, KvDtype dtype) {
        this(context, dtype, new KvBlock[16], 0, 0);
    }

    private FullLayerCache(LayerContext context, KvDtype dtype, KvBlock[] blocks, int blockCount, int length) {
        this.context = context;
        this.dtype = dtype;
        this.pool = context.blocks();
        this.blockTokens = pool.blockTokens();
        this.kvDim = context.kvHeads() * context.headDim();
        this.attention = new PagedAttention(context.heads(), context.kvHeads(), context.headDim());
        this.exact = dtype == KvDtype.F32_ROWS ? new GgmlAttention(context.heads(), context.kvHeads(), context.headDim()) : null;
        this.blocks = blocks;
        this.blockCount = blockCount;
        this.length = length;
    }

    @Override
    public void append(int position, float[] keys, float[] values, int tokens) {
        if (position != length) {
            throw new IllegalStateException("append at position " + position + " but the cache holds " + length);
        }
        for (int i = 0; i < tokens; i++) {
            int b = length / blockTokens;
            int slot = length % blockTokens;
            if (b == blockCount) {
                addBlock();
            } else {
                blocks[b] = blocks[b].writable(slot);
            }
            blocks[b].write(slot, keys, i * kvDim, values, i * kvDim);
            length++;
        }
    }

    /** Allocates the next block (before growing anything, so a budget failure changes nothing). */
    private void addBlock() {
        KvBlock block = pool.allocate(dtype, context.kvHeads(), context.headDim());
        if (blockCount == blocks.length) {
            blocks = Arrays.copyOf(blocks, blocks.length * 2);
        }
        blocks[blockCount++] = block;
    }

    @Override
    public void attend(int position, float[] queries, int tokens, float[] out) {
        if (position + tokens != length) {
            throw new IllegalStateException("attend rows " + position + ".." + (position + tokens - 1)
                    + " but the cache holds " + length + " positions");
        }
        long rows = exact != null
                ? exact.attend(blocks, blockTokens, length, queries, tokens, out)
                : attention.attend(blocks, blockTokens, length, queries, tokens, out);
        bytesRead += rows * context.kvHeads() * dtype.tokenHeadBytes(context.headDim());
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a cache of " + length + " positions to " + newLength);
        }
        int keep = (newLength + blockTokens - 1) / blockTokens;
        for (int b = keep; b < blockCount; b++) {
            blocks[b].release();
            blocks[b] = null;
        }
        blockCount = keep;
        length = newLength;
    }

    @Override
    public LayerKvCache fork() {
        KvBlock[] shared = Arrays.copyOf(blocks, blocks.length);
        for (int b = 0; b < blockCount; b++) {
            shared[b].retain();
        }
        return new FullLayerCache(context, dtype, shared, blockCount, length);
    }

    @Override
    public KvMemory memory() {
        return new KvMemory(blockCount == 0 ? 0 : blockCount * blocks[0].bytes(), 0);
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void save(DataOutput out) throws IOException {
        out.writeInt(length);
        for (int b = 0; b < blockCount; b++) {
            blocks[b].save(out, Math.min(blockTokens, length - b * blockTokens));
        }
    }

    @Override
    public void load(DataInput in) throws IOException {
        if (length != 0) {
            throw new IllegalStateException("load into a cache that holds " + length + " positions");
        }
        int saved = in.readInt();
        if (saved < 0) {
            throw new IOException("negative cache length " + saved);
        }
        try {
            while (length < saved) {
                int b = blockCount;
                addBlock();
                int slots = Math.min(blockTokens, saved - b * blockTokens);
                blocks[b].load(in, slots);
                length += slots;
            }
        } catch (IOException | RuntimeException e) {
            truncate(0);
            throw e;
        }
    }

    @Override
    public void close() {
        truncate(0);
    }
}
