package io.longkv.kv.quest;

import io.longkv.kv.KvMemory;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.attention.BlockRuns;
import io.longkv.kv.attention.PagedAttention;
import io.longkv.kv.block.BlockTable;
import io.longkv.kv.block.KvDtype;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One layer of Quest: every token's keys and values in paged blocks, plus page bounds in a second f32 table
 * (slot p: key row = per-channel min, value row = per-channel max of page p's stored keys, so the bound holds
 * for exactly the keys attention reads). Prefill, dense layers and contexts within the budget attend densely.
 */
final class QuestLayerCache implements LayerKvCache {
    private final LayerContext context;
    private final KvDtype dtype;
    private final QuestConfig config;
    private final int pageTokens;
    private final boolean dense;
    private final int kvDim;
    private final BlockTable storage;
    private final BlockTable bounds;
    private final PagedAttention attention;
    private final BlockRuns runs = new BlockRuns();
    private final QuestSelection selection;
    private final float[] key;
    private final float[] min;
    private final float[] max;
    private long bytesRead;

    QuestLayerCache(LayerContext context, KvDtype dtype, QuestConfig config, boolean dense) {
        this(context, dtype, config, dense,
                new BlockTable(context.blocks(), dtype, context.kvHeads(), context.headDim()),
                new BlockTable(context.blocks(), KvDtype.F32_ROWS, context.kvHeads(), context.headDim()));
    }

    private QuestLayerCache(LayerContext context, KvDtype dtype, QuestConfig config, boolean dense,
                            BlockTable storage, BlockTable bounds) {
        this.context = context;
        this.dtype = dtype;
        this.config = config;
        this.pageTokens = config.pageTokens();
        this.dense = dense;
        this.kvDim = context.kvHeads() * context.headDim();
        this.storage = storage;
        this.bounds = bounds;
        this.attention = new PagedAttention(context.heads(), context.kvHeads(), context.headDim());
        this.selection = new QuestSelection(context.kvHeads(), context.heads() / context.kvHeads(), context.headDim(), config);
        this.key = new float[kvDim];
        this.min = new float[kvDim];
        this.max = new float[kvDim];
    }

    @Override
    public void append(int position, float[] keys, float[] values, int tokens) {
        if (position != storage.length()) {
            throw new IllegalStateException("append at position " + position + " but the cache holds " + storage.length());
        }
        storage.append(keys, values, tokens);
        if (!dense) {
            for (int t = position; t < position + tokens; t++) {
                fold(t);
            }
        }
    }

    /** Widens the bounds of token t's page by its stored key (a new page starts at the key itself). */
    private void fold(int t) {
        int headDim = context.headDim();
        for (int h = 0; h < context.kvHeads(); h++) {
            storage.read(true, h, t, t + 1, key, h * headDim);
        }
        int page = t / pageTokens;
        if (t % pageTokens == 0) {
            bounds.append(key, key, 1);
            return;
        }
        for (int h = 0; h < context.kvHeads(); h++) {
            bounds.read(true, h, page, page + 1, min, h * headDim);
            bounds.read(false, h, page, page + 1, max, h * headDim);
        }
        for (int i = 0; i < kvDim; i++) {
            min[i] = Math.min(min[i], key[i]);
            max[i] = Math.max(max[i], key[i]);
        }
        bounds.set(page, min, 0, max, 0);
    }

    @Override
    public void attend(int position, float[] queries, int tokens, float[] out) {
        int length = storage.length();
        if (position + tokens != length) {
            throw new IllegalStateException("attend rows " + position + ".." + (position + tokens - 1)
                    + " but the cache holds " + length + " positions");
        }
        runs.of(storage.blocks(), storage.blockTokens());
        int pageCount = (length + pageTokens - 1) / pageTokens;
        long tokenBytes = dtype.tokenHeadBytes(context.headDim());
        if (dense || tokens > 1 || pageCount <= config.budgetPages()) {
            bytesRead += attention.attend(runs, length, queries, tokens, out) * context.kvHeads() * tokenBytes;
            return;
        }
        selection.select(bounds, pageCount, queries);
        attention.decode(runs, length, queries, out, selection);
        long read = (long) config.scoredPages(pageCount) * context.kvHeads() * 2 * context.headDim() * Float.BYTES;
        for (int h = 0; h < context.kvHeads(); h++) {
            for (int i = 0; i < selection.count(h); i++) {
                int start = selection.page(h, i) * pageTokens;
                read += Math.min(pageTokens, length - start) * tokenBytes;
            }
        }
        bytesRead += read;
    }

    /** Quest's bound of q.k over page {@code page} of {@code kvHead} for the query at {@code q[qOff]} (tests). */
    float pageBound(int kvHead, int page, float[] q, int qOff) {
        int headDim = context.headDim();
        bounds.read(true, kvHead, page, page + 1, min, 0);
        bounds.read(false, kvHead, page, page + 1, max, 0);
        return QuestSelection.bound(q, qOff, min, max, 0, headDim);
    }

    @Override
    public int length() {
        return storage.length();
    }

    /** Exact: every token is kept; the bounds of a page cut in two are rebuilt from its remaining keys. */
    @Override
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > storage.length()) {
            throw new IllegalArgumentException("cannot truncate a cache of " + storage.length() + " positions to " + newLength);
        }
        storage.truncate(newLength);
        if (!dense) {
            int whole = newLength / pageTokens;
            bounds.truncate(Math.min(bounds.length(), whole));
            for (int t = whole * pageTokens; t < newLength; t++) {
                fold(t);
            }
        }
    }

    @Override
    public LayerKvCache fork() {
        return new QuestLayerCache(context, dtype, config, dense, storage.fork(), bounds.fork());
    }

    @Override
    public KvMemory memory() {
        return new KvMemory(storage.bytes() + bounds.bytes(), 0);
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void save(DataOutput out) throws IOException {
        storage.save(out);
        bounds.save(out);
    }

    @Override
    public void load(DataInput in) throws IOException {
        if (storage.length() != 0) {
            throw new IllegalStateException("load into a cache that holds " + storage.length() + " positions");
        }
        try {
            storage.load(in);
            bounds.load(in);
            int pages = dense ? 0 : (storage.length() + pageTokens - 1) / pageTokens;
            if (storage.start() != 0 || bounds.start() != 0 || bounds.length() != pages) {
                throw new IOException("inconsistent quest state: " + storage.length() + " positions but " + bounds.length()
                        + " page bounds (expected " + pages + ")");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        storage.close();
        bounds.close();
    }
}
