package io.longkv.kv.quest;

import io.longkv.kv.attention.PageSelection;
import io.longkv.kv.attention.TopK;
import io.longkv.kv.block.BlockTable;
import io.longkv.tensor.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Quest's page choice for one decode step: the config's sink pages and recent pages (the last one current,
 * possibly partial) are always attended; every page between them is scored by its upper bound
 * {@code U_p = sum_c max(q_c min_pc, q_c max_pc)} (a bound on q.k for every key of the page), and the best are
 * kept up to the page budget.
 * Per query head ({@code perHead}, as the reference eval code with repeated KV) each head of a GQA group picks
 * its own pages and the KV head reads their union, masking each page to the heads that chose it; otherwise
 * the group's scores are summed and one set of at most the budget's pages is read per KV head.
 */
final class QuestSelection implements PageSelection {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int ALL_HEADS = -1;

    private final int kvHeads;
    private final int group;
    private final int headDim;
    private final QuestConfig config;
    private int[][] pages;
    private int[][] masks;
    private final int[] counts;
    private float[] scores = new float[0];
    private float[] tmp = new float[0];
    private int[] chosen = new int[0];
    private int[] picked = new int[0];
    private float[] mins = new float[0];
    private float[] maxs = new float[0];

    QuestSelection(int kvHeads, int group, int headDim, QuestConfig config) {
        this.kvHeads = kvHeads;
        this.group = group;
        this.headDim = headDim;
        this.config = config;
        this.pages = new int[kvHeads][0];
        this.masks = new int[kvHeads][0];
        this.counts = new int[kvHeads];
    }

    /**
     * Chooses the pages of this step among {@code pageCount} (more than the budget) from the page
     * bounds (slot p of {@code bounds}: keys = per-channel min, values = per-channel max) and the query row
     * {@code q} of all heads: the sink and recent pages, and the best of the pages between them.
     */
    void select(BlockTable bounds, int pageCount, float[] q) {
        int first = config.sinkPages();
        int scored = config.scoredPages(pageCount);
        int chunk = bounds.blockTokens();
        ensure(scored, pageCount, chunk);
        for (int h = 0; h < kvHeads; h++) {
            for (int from = 0; from < scored; from += chunk) {
                int n = Math.min(chunk, scored - from);
                bounds.read(true, h, first + from, first + from + n, mins, 0);
                bounds.read(false, h, first + from, first + from + n, maxs, 0);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < group; j++) {
                        scores[j * scored + from + i] = bound(q, (h * group + j) * headDim, mins, maxs, i * headDim, headDim);
                    }
                }
            }
            int keep = config.chosenPages();
            if (config.perHead()) {
                for (int j = 0; j < group; j++) {
                    mark(j * scored, scored, keep, 1 << j);
                }
            } else {
                for (int j = 1; j < group; j++) {
                    for (int p = 0; p < scored; p++) {
                        scores[p] += scores[j * scored + p];
                    }
                }
                mark(0, scored, keep, ALL_HEADS);
            }
            int count = 0;
            for (int p = 0; p < first; p++) {
                pages[h][count] = p;
                masks[h][count++] = ALL_HEADS;
            }
            for (int p = 0; p < scored; p++) {
                if (chosen[p] != 0) {
                    pages[h][count] = first + p;
                    masks[h][count++] = chosen[p];
                    chosen[p] = 0;
                }
            }
            for (int p = first + scored; p < pageCount; p++) {
                pages[h][count] = p;
                masks[h][count++] = ALL_HEADS;
            }
            counts[h] = count;
        }
    }

    /** Sets {@code bit} in {@code chosen} for the {@code keep} best of {@code scores[from .. from + n)} (ties by position). */
    private void mark(int from, int n, int keep, int bit) {
        int count = TopK.indices(scores, from, n, keep, tmp, picked);
        for (int i = 0; i < count; i++) {
            chosen[picked[i]] |= bit;
        }
    }

    /** {@code sum_c max(q_c min_c, q_c max_c)}: the upper bound of q.k over keys within [min, max] per channel. */
    static float bound(float[] q, int qOff, float[] mins, float[] maxs, int bOff, int headDim) {
        FloatVector sum = FloatVector.zero(F);
        int c = 0;
        for (int end = F.loopBound(headDim); c < end; c += F.length()) {
            FloatVector qc = FloatVector.fromArray(F, q, qOff + c);
            sum = sum.add(qc.mul(FloatVector.fromArray(F, mins, bOff + c)).max(qc.mul(FloatVector.fromArray(F, maxs, bOff + c))));
        }
        float total = VectorMath.hsum(sum);
        for (; c < headDim; c++) {
            total += Math.max(q[qOff + c] * mins[bOff + c], q[qOff + c] * maxs[bOff + c]);
        }
        return total;
    }

    private void ensure(int scored, int pageCount, int chunk) {
        if (scores.length < group * scored) {
            scores = new float[group * (scored + 64)];
            tmp = new float[scored + 64];
            chosen = new int[scored + 64];
            picked = new int[scored + 64];
        }
        if (pages[0].length < pageCount) {
            for (int h = 0; h < kvHeads; h++) {
                pages[h] = new int[pageCount + 64];
                masks[h] = new int[pageCount + 64];
            }
        }
        if (mins.length < chunk * headDim) {
            mins = new float[chunk * headDim];
            maxs = new float[chunk * headDim];
        }
    }

    @Override
    public int pageTokens() {
        return config.pageTokens();
    }

    @Override
    public int count(int kvHead) {
        return counts[kvHead];
    }

    @Override
    public int page(int kvHead, int i) {
        return pages[kvHead][i];
    }

    @Override
    public int rowMask(int kvHead, int i) {
        return masks[kvHead][i];
    }
}
