package io.longkv.kv.snapkv;

import io.longkv.kv.LayerContext;
import io.longkv.kv.attention.AttentionWeights;
import io.longkv.kv.evict.EvictingCache;
import io.longkv.kv.evict.SlotStore;
import io.longkv.tensor.Parallel;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Records the last {@code window} queries attended since the previous prompt end (the observation window;
 * their tokens are the last slots). At a prompt end with more than {@code budget} tokens stored, each
 * observed query's softmax weights over the stored tokens (causal inside the window) are summed over the
 * window for the tokens before it, pooled along the tokens (stride 1, centred, avg counting the padding as
 * PyTorch's avg_pool1d does), summed over the KV head's query group, and the top {@code budget - window}
 * tokens plus the window are kept, in order (ties keep the newer token). Decoded tokens are appended
 * uncompressed until the next prompt end, so rolling back to any length since the last compression is exact.
 */
final class SnapKvCache extends EvictingCache {
    private final int budget;
    private final int window;
    private final int kernel;
    private final boolean maxPool;
    private final int queryDim;
    /** Observed queries, oldest first: the last {@code observedCount} attended positions. */
    private final float[] observed;
    private int observedCount;
    /** Length at the last prompt end (observations start after it). */
    private int lastEnd;

    SnapKvCache(LayerContext context, int budget, int window, int kernel, boolean maxPool) {
        this(context, budget, window, kernel, maxPool, new SlotStore(context, false), 0);
    }

    private SnapKvCache(LayerContext context, int budget, int window, int kernel, boolean maxPool, SlotStore store, int length) {
        super(context, store, length, false);
        this.budget = budget;
        this.window = window;
        this.kernel = kernel;
        this.maxPool = maxPool;
        this.queryDim = context.heads() * context.headDim();
        store.reserve((long) window * queryDim * Float.BYTES);
        this.observed = new float[window * queryDim];
    }

    @Override
    protected long attended(float[] queries, int tokens) {
        int take = Math.min(tokens, window);
        int keep = Math.min(observedCount, window - take);
        System.arraycopy(observed, (observedCount - keep) * queryDim, observed, 0, keep * queryDim);
        System.arraycopy(queries, (tokens - take) * queryDim, observed, keep * queryDim, take * queryDim);
        observedCount = keep + take;
        return 0;
    }

    @Override
    protected void compress() {
        int slots = store.slots();
        if (slots > budget && observedCount > 0) {
            int[][] kept = new int[context.kvHeads()][];
            Parallel.parallelFor(kept.length, (from, to) -> {
                for (int h = from; h < to; h++) {
                    kept[h] = select(h, slots);
                }
            });
            store.keep(kept, budget);
        }
        lastEnd = length;
        observedCount = 0;
    }

    /** Head h's kept slots, ascending: the top {@code budget - window} of the prefix by pooled score, then the window. */
    private int[] select(int h, int slots) {
        int group = context.model().groupSize();
        int prefix = slots - window;
        float[] w = AttentionWeights.compute(store.blocks(), store.blockTokens(), slots, context.heads(), context.kvHeads(),
                context.headDim(), h, observed, 0, observedCount, slots - observedCount);
        float[] summed = new float[prefix];
        float[] score = new float[prefix];
        for (int j = 0; j < group; j++) {
            Arrays.fill(summed, 0f);
            for (int i = 0; i < observedCount; i++) {
                int row = (i * group + j) * slots;
                for (int t = 0; t < prefix; t++) {
                    summed[t] += w[row + t];
                }
            }
            pool(summed, score);
        }
        Integer[] order = new Integer[prefix];
        for (int t = 0; t < prefix; t++) {
            order[t] = t;
        }
        Arrays.sort(order, (a, b) -> score[a] != score[b] ? Float.compare(score[b], score[a]) : Integer.compare(b, a));
        int[] keep = new int[budget];
        for (int i = 0; i < budget - window; i++) {
            keep[i] = order[i];
        }
        Arrays.sort(keep, 0, budget - window);
        for (int i = 0; i < window; i++) {
            keep[budget - window + i] = prefix + i;
        }
        return keep;
    }

    /** Adds the 1-D pooling of {@code v} (width {@code kernel}, stride 1, centred) to {@code into}. */
    private void pool(float[] v, float[] into) {
        int half = kernel / 2;
        for (int t = 0; t < v.length; t++) {
            int from = Math.max(0, t - half);
            int to = Math.min(v.length, t + half + 1);
            float acc = maxPool ? Float.NEGATIVE_INFINITY : 0;
            for (int u = from; u < to; u++) {
                acc = maxPool ? Math.max(acc, v[u]) : acc + v[u];
            }
            into[t] += maxPool ? acc : acc / kernel;
        }
    }

    @Override
    protected boolean canDropSuffix(int newLength) {
        // Exact while the observations the shorter history would hold are still recorded.
        return newLength >= lastEnd
                && (newLength == lastEnd || length - observedCount <= Math.max(lastEnd, newLength - window));
    }

    @Override
    protected void dropSuffix(int newLength) {
        super.dropSuffix(newLength);
        observedCount = Math.max(0, observedCount - (length - newLength));
    }

    @Override
    protected EvictingCache copy() {
        SnapKvCache c = new SnapKvCache(context, budget, window, kernel, maxPool, store.fork(), length);
        System.arraycopy(observed, 0, c.observed, 0, observed.length);
        c.observedCount = observedCount;
        c.lastEnd = lastEnd;
        return c;
    }

    @Override
    protected void saveState(DataOutput out) throws IOException {
        out.writeInt(lastEnd);
        out.writeInt(observedCount);
        for (int i = 0; i < observedCount * queryDim; i++) {
            out.writeFloat(observed[i]);
        }
    }

    @Override
    protected void loadState(DataInput in) throws IOException {
        lastEnd = in.readInt();
        observedCount = in.readInt();
        if (observedCount < 0 || observedCount > window || lastEnd < 0) {
            throw new IOException("bad snapkv state (observed " + observedCount + ", last prompt end " + lastEnd + ")");
        }
        for (int i = 0; i < observedCount * queryDim; i++) {
            observed[i] = in.readFloat();
        }
    }
}
