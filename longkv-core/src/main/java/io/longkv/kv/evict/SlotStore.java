package io.longkv.kv.evict;

import io.longkv.kv.LayerContext;
import io.longkv.kv.attention.PagedAttention;
import io.longkv.kv.block.BlockPool;
import io.longkv.kv.block.KvBlock;
import io.longkv.kv.block.KvDtype;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Paged f32 storage for methods that drop tokens: slot s of KV head h holds the token at
 * {@link #position position(h, s)}. Every head holds the same number of slots (methods drop the same count
 * per head), so the shared paged kernel attends over them as over a full cache, while each head may keep
 * different tokens. Slot order is free except that rows being attended are the last slots: appends go to
 * the end and methods drop tokens only between attends. Optionally each slot carries a score (H2O).
 * Blocks come from the engine's pool and are shared copy-on-write with forks; the side arrays (positions,
 * scores, and what a method {@link #reserve reserves}) are charged to the pool too.
 */
public final class SlotStore implements AutoCloseable {
    private static final KvDtype DTYPE = KvDtype.F32;

    private final LayerContext context;
    private final BlockPool pool;
    private final int blockTokens;
    private final int kvHeads;
    private final int headDim;
    private final boolean scored;
    private final PagedAttention attention;
    private final float[] rowKeys;
    private final float[] rowValues;
    private KvBlock[] blocks;
    private int blockCount;
    private int[][] positions;
    private float[][] scores;
    private int slots;
    private long sideBytes;

    /** @param scored whether each slot carries a score ({@link #scores}) */
    public SlotStore(LayerContext context, boolean scored) {
        this(context, scored, new KvBlock[16], 0, new int[context.kvHeads()][0], scored ? new float[context.kvHeads()][0] : null, 0);
    }

    private SlotStore(LayerContext context, boolean scored, KvBlock[] blocks, int blockCount, int[][] positions,
                      float[][] scores, int slots) {
        this.context = context;
        this.pool = context.blocks();
        this.blockTokens = pool.blockTokens();
        this.kvHeads = context.kvHeads();
        this.headDim = context.headDim();
        this.scored = scored;
        this.attention = new PagedAttention(context.heads(), kvHeads, headDim);
        this.rowKeys = new float[kvHeads * headDim];
        this.rowValues = new float[kvHeads * headDim];
        this.blocks = blocks;
        this.blockCount = blockCount;
        this.positions = positions;
        this.scores = scored ? scores : null;
        this.slots = slots;
        this.sideBytes = 0;
        reserve(sideBytesPerSlot() * positions[0].length);
    }

    /** Slots held by each KV head. */
    public int slots() {
        return slots;
    }

    /** The position of the token in {@code slot} of KV head {@code head}. */
    public int position(int head, int slot) {
        return positions[head][slot];
    }

    /** KV head {@code head}'s slot scores (the live array; valid below {@link #slots()}). */
    public float[] scores(int head) {
        return scores[head];
    }

    public KvBlock[] blocks() {
        return blocks;
    }

    public int blockTokens() {
        return blockTokens;
    }

    /** Bytes of keys plus values of one token of all KV heads. */
    public long tokenBytes() {
        return kvHeads * DTYPE.tokenHeadBytes(headDim);
    }

    /** Appends {@code tokens} tokens at positions {@code position ..} to the end, every head, score 0. */
    public void append(int position, float[] keys, float[] values, int tokens) {
        int kvDim = kvHeads * headDim;
        for (int i = 0; i < tokens; i++) {
            int b = slots / blockTokens;
            if (b == blockCount) {
                if (blockCount == blocks.length) {
                    blocks = Arrays.copyOf(blocks, blocks.length * 2);
                }
                blocks[blockCount++] = pool.allocate(DTYPE, kvHeads, headDim);
                growSideArrays(blockCount * blockTokens);
            }
            writeRow(slots, keys, i * kvDim, values, i * kvDim);
            for (int h = 0; h < kvHeads; h++) {
                positions[h][slots] = position + i;
                if (scored) {
                    scores[h][slots] = 0;
                }
            }
            slots++;
        }
    }

    /** Attention of the last {@code rows} slots' queries over every slot (see {@link PagedAttention#attend}); returns rows read per head. */
    public long attend(float[] queries, int rows, float[] out) {
        return attention.attend(blocks, blockTokens, slots, queries, rows, out);
    }

    /**
     * Keeps, for each head h, slots {@code kept[h][0 .. count)} (ascending) as slots {@code 0 .. count)}, in
     * that order, and drops the others. Ascending order makes the move safe in place.
     */
    public void keep(int[][] kept, int count) {
        for (int i = 0; i < count; i++) {
            boolean moved = false;
            for (int h = 0; h < kvHeads; h++) {
                moved |= kept[h][i] != i;
            }
            if (!moved) {
                continue;
            }
            for (int h = 0; h < kvHeads; h++) {
                readHead(h, kept[h][i]);
                positions[h][i] = positions[h][kept[h][i]];
                if (scored) {
                    scores[h][i] = scores[h][kept[h][i]];
                }
            }
            writeRow(i, rowKeys, 0, rowValues, 0);
        }
        dropFrom(count);
    }

    /** Drops slot {@code dropped[h]} of each head h by moving the head's last slot into it: one row per head, order not kept. */
    public void dropOne(int[] dropped) {
        int last = slots - 1;
        for (int h = 0; h < kvHeads; h++) {
            int s = dropped[h];
            if (s == last) {
                continue;
            }
            for (int g = 0; g < kvHeads; g++) {
                readHead(g, g == h ? last : s);
            }
            writeRow(s, rowKeys, 0, rowValues, 0);
            positions[h][s] = positions[h][last];
            if (scored) {
                scores[h][s] = scores[h][last];
            }
        }
        dropFrom(last);
    }

    /** Keeps slots {@code [0, count)} only. */
    public void dropFrom(int count) {
        int keepBlocks = (count + blockTokens - 1) / blockTokens;
        for (int b = keepBlocks; b < blockCount; b++) {
            blocks[b].release();
            blocks[b] = null;
        }
        blockCount = keepBlocks;
        slots = count;
    }

    /** Overwrites every head's keys and values of {@code slot} (rows of kvHeads * headDim). */
    public void writeRow(int slot, float[] keys, int keyOffset, float[] values, int valueOffset) {
        int b = slot / blockTokens;
        blocks[b] = blocks[b].writable(Math.min(blockTokens, Math.max(slots, slot + 1) - b * blockTokens));
        blocks[b].write(slot % blockTokens, keys, keyOffset, values, valueOffset);
    }

    /** Reads head {@code head} of {@code slot} into the row scratch. */
    private void readHead(int head, int slot) {
        KvBlock block = blocks[slot / blockTokens];
        block.readKeys(head, slot % blockTokens, slot % blockTokens + 1, rowKeys, head * headDim);
        block.readValues(head, slot % blockTokens, slot % blockTokens + 1, rowValues, head * headDim);
    }

    /** Charges {@code bytes} of a method's side arrays to the pool; given back by {@link #close}. */
    public void reserve(long bytes) {
        pool.reserve(bytes);
        sideBytes += bytes;
    }

    private long sideBytesPerSlot() {
        return (long) kvHeads * (scored ? 8 : 4);
    }

    private void growSideArrays(int capacity) {
        if (positions[0].length >= capacity) {
            return;
        }
        int grown = Math.max(capacity, positions[0].length * 2);
        reserve(sideBytesPerSlot() * (grown - positions[0].length));
        for (int h = 0; h < kvHeads; h++) {
            positions[h] = Arrays.copyOf(positions[h], grown);
            if (scored) {
                scores[h] = Arrays.copyOf(scores[h], grown);
            }
        }
    }

    /** An independent copy: blocks shared copy-on-write, side arrays copied (a method reserves its own again). */
    public SlotStore fork() {
        KvBlock[] shared = Arrays.copyOf(blocks, blocks.length);
        for (int b = 0; b < blockCount; b++) {
            shared[b].retain();
        }
        int[][] p = new int[kvHeads][];
        float[][] s = scored ? new float[kvHeads][] : null;
        for (int h = 0; h < kvHeads; h++) {
            p[h] = positions[h].clone();
            if (scored) {
                s[h] = scores[h].clone();
            }
        }
        return new SlotStore(context, scored, shared, blockCount, p, s, slots);
    }

    /** Bytes held: blocks plus side arrays. */
    public long bytes() {
        return bytesBeyond(null);
    }

    /** Bytes held that {@code other} does not share: side arrays plus blocks {@code other} does not hold. */
    public long bytesBeyond(SlotStore other) {
        Set<KvBlock> theirs = Collections.newSetFromMap(new IdentityHashMap<>());
        if (other != null) {
            theirs.addAll(Arrays.asList(other.blocks).subList(0, other.blockCount));
        }
        long total = sideBytes;
        for (int b = 0; b < blockCount; b++) {
            total += theirs.contains(blocks[b]) ? 0 : blocks[b].bytes();
        }
        return total;
    }

    public void save(DataOutput out) throws IOException {
        out.writeInt(slots);
        for (int h = 0; h < kvHeads; h++) {
            for (int s = 0; s < slots; s++) {
                out.writeInt(positions[h][s]);
                if (scored) {
                    out.writeFloat(scores[h][s]);
                }
            }
        }
        for (int b = 0; b < blockCount; b++) {
            blocks[b].save(out, Math.min(blockTokens, slots - b * blockTokens));
        }
    }

    /** Reads what {@link #save} wrote into this empty store; on failure it is left empty. */
    public void load(DataInput in) throws IOException {
        if (slots != 0) {
            throw new IllegalStateException("load into a store that holds " + slots + " slots");
        }
        int saved = in.readInt();
        if (saved < 0) {
            throw new IOException("negative slot count " + saved);
        }
        try {
            // Whole blocks: appends fill the last block's free slots without growing the side arrays.
            growSideArrays((saved + blockTokens - 1) / blockTokens * blockTokens);
            for (int h = 0; h < kvHeads; h++) {
                for (int s = 0; s < saved; s++) {
                    positions[h][s] = in.readInt();
                    if (scored) {
                        scores[h][s] = in.readFloat();
                    }
                }
            }
            while (slots < saved) {
                if (blockCount == blocks.length) {
                    blocks = Arrays.copyOf(blocks, blocks.length * 2);
                }
                blocks[blockCount] = pool.allocate(DTYPE, kvHeads, headDim);
                int n = Math.min(blockTokens, saved - blockCount * blockTokens);
                blocks[blockCount++].load(in, n);
                slots += n;
            }
        } catch (IOException | RuntimeException e) {
            dropFrom(0);
            throw e;
        }
    }

    /** Releases blocks and side arrays. Idempotent. */
    @Override
    public void close() {
        dropFrom(0);
        pool.release(sideBytes);
        sideBytes = 0;
    }
}
