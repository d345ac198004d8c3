package io.longkv.kv.kivi;

import io.longkv.kv.attention.KvRuns;
import io.longkv.kv.block.KvBlock;
import io.longkv.kv.quant.PackedKernels;
import io.longkv.kv.quant.PackedRows;

/**
 * A KIVI layer as attention runs: slots below {@code quantizedKeys} are whole key groups scored on their codes;
 * later slots are read from the full-precision tail blocks. Values are codes below {@code quantizedValues}
 * (never above the key boundary) and full precision from there, so one key group's run may switch value
 * source midway.
 */
final class KiviRuns implements KvRuns {
    /**
     * Quantized slots scored and accumulated per kernel call: a few key groups rather than one, so the online
     * softmax update and the kernels' per-call set-up come once per 128 slots (about 7% of decode attention).
     */
    private static final int RUN_SLOTS = 128;
    private final PackedRows keys;
    private final PackedRows values;
    private final int group;
    private final int bits;
    private final int headDim;
    private final int blockTokens;
    private final int maxRun;
    private KvBlock[] tail;
    private int quantizedKeys;
    private int quantizedValues;

    KiviRuns(PackedRows keys, PackedRows values, int group, int bits, int headDim, int blockTokens) {
        this.keys = keys;
        this.values = values;
        this.group = group;
        this.bits = bits;
        this.headDim = headDim;
        this.blockTokens = blockTokens;
        // A multiple of the group, so decode splits never cut a key group.
        int unit = (blockTokens + group - 1) / group * group;
        this.maxRun = Math.max(unit, RUN_SLOTS / unit * unit);
    }

    /** Points the view at the current state (no allocation per step). */
    KiviRuns of(KvBlock[] tailBlocks) {
        this.tail = tailBlocks;
        this.quantizedKeys = keys.rows() * group;
        this.quantizedValues = values.rows();
        return this;
    }

    @Override
    public int maxRun() {
        return maxRun;
    }

    @Override
    public int runEnd(int from, int limit) {
        if (from < quantizedKeys) {
            // Whole key groups: as many as the run length allows below the limit, at least one.
            int groups = Math.min(quantizedKeys - from, Math.max(group, limit - from)) / group;
            return from + Math.min(maxRun / group, groups) * group;
        }
        return Math.min(Math.min(limit, from + maxRun), (from / blockTokens + 1) * blockTokens);
    }

    @Override
    public void scores(int kvHead, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
        if (from < quantizedKeys) {
            int row = from / group;
            PackedKernels.keyScores(keys.codes(kvHead), keys.codeBase(row), keys.params(kvHead), keys.paramBase(row),
                    (to - from) / group, group, headDim, bits, q, rows, scores, stride);
        } else {
            int base = from / blockTokens * blockTokens;
            tail[from / blockTokens].scores(kvHead, from - base, to - base, q, rows, scores, stride, scratch);
        }
    }

    @Override
    public void accumulate(int kvHead, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
        int split = Math.clamp(quantizedValues, from, to);
        if (split > from) {
            PackedKernels.valueAccumulate(values.codes(kvHead), values.codeBase(from), values.params(kvHead),
                    values.paramBase(from), split - from, headDim, group, bits, p, 0, stride, rows, acc);
        }
        if (split == to) {
            return;
        }
        if (split > from) {
            // The block kernel reads probabilities from the start of each row: move the full-precision part there.
            for (int r = 0; r < rows; r++) {
                System.arraycopy(p, r * stride + split - from, p, r * stride, to - split);
            }
        }
        for (int start = split; start < to; ) {
            int base = start / blockTokens * blockTokens;
            int end = Math.min(to, base + blockTokens);
            tail[start / blockTokens].accumulate(kvHead, start - base, end - base, p, stride, rows, acc, scratch);
            if (end < to) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(p, r * stride + end - start, p, r * stride, to - end);
                }
            }
            start = end;
        }
    }
}
