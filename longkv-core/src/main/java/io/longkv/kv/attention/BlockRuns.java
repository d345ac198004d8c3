package io.longkv.kv.attention;

import io.longkv.kv.block.KvBlock;

/** Slots stored in paged {@link KvBlock}s (block b holds slots {@code [b * blockTokens, (b + 1) * blockTokens)}): a run is the part of one block. */
public final class BlockRuns implements KvRuns {
    private KvBlock[] blocks;
    private int blockTokens;

    /** Points this view at a block table (reused across steps so nothing is allocated per token). */
    public BlockRuns of(KvBlock[] table, int tokensPerBlock) {
        this.blocks = table;
        this.blockTokens = tokensPerBlock;
        return this;
    }

    @Override
    public int maxRun() {
        return blockTokens;
    }

    @Override
    public int runEnd(int from, int limit) {
        return Math.min(limit, (from / blockTokens + 1) * blockTokens);
    }

    @Override
    public void scores(int kvHead, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        int base = from / blockTokens * blockTokens;
        blocks[from / blockTokens].scores(kvHead, from - base, to - base, q, rows, scores, stride, scratch);
    }

    @Override
    public void accumulate(int kvHead, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
        int base = from / blockTokens * blockTokens;
        blocks[from / blockTokens].accumulate(kvHead, from - base, to - base, p, stride, rows, acc, scratch);
    }
}
