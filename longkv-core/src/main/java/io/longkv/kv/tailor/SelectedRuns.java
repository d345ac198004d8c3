package io.longkv.kv.tailor;

import io.longkv.kv.attention.AttentionMath;
import io.longkv.kv.attention.BlockRuns;
import io.longkv.kv.attention.KvRuns;
import io.longkv.kv.block.KvBlock;

/**
 * What one decode step of an offloaded layer attends, as slots for the shared kernels: first the
 * {@code selected} prompt tokens read back from the cold tier (rows per KV head, each head its own tokens),
 * then the hot blocks (sinks, recent prompt tokens, generated tokens). Softmax does not care about order.
 */
final class SelectedRuns implements KvRuns {
    private final int headDim;
    private final int blockTokens;
    private final BlockRuns hot = new BlockRuns();
    private float[][] keys;
    private float[][] values;
    private int selected;

    SelectedRuns(int headDim, int blockTokens) {
        this.headDim = headDim;
        this.blockTokens = blockTokens;
    }

    /** Points the view at this step's rows (no allocation per step). */
    SelectedRuns of(float[][] selectedKeys, float[][] selectedValues, int count, KvBlock[] hotBlocks) {
        this.keys = selectedKeys;
        this.values = selectedValues;
        this.selected = count;
        hot.of(hotBlocks, blockTokens);
        return this;
    }

    @Override
    public int maxRun() {
        return blockTokens;
    }

    @Override
    public int runEnd(int from, int limit) {
        if (from < selected) {
            return Math.min(Math.min(limit, selected), from + blockTokens);
        }
        return selected + hot.runEnd(from - selected, limit - selected);
    }

    @Override
    public void scores(int kvHead, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        if (from < selected) {
            AttentionMath.scores(keys[kvHead], from * headDim, to - from, headDim, q, rows, scores, stride);
        } else {
            hot.scores(kvHead, from - selected, to - selected, q, rows, scores, stride, scratch);
        }
    }

    @Override
    public void accumulate(int kvHead, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
        if (from < selected) {
            AttentionMath.accumulate(values[kvHead], from * headDim, to - from, headDim, p, stride, rows, acc);
        } else {
            hot.accumulate(kvHead, from - selected, to - selected, p, stride, rows, acc, scratch);
        }
    }
}
