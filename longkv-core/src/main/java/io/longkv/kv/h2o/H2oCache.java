package io.longkv.kv.h2o;

import io.longkv.kv.LayerContext;
import io.longkv.kv.attention.AttentionWeights;
import io.longkv.kv.evict.EvictingCache;
import io.longkv.kv.evict.SlotStore;
import io.longkv.tensor.Parallel;
import io.longkv.tensor.VectorMath;
import java.util.Arrays;

/**
 * Each stored token carries, per KV head, the sum of the softmax weights it received from every query
 * attended so far (prompt and decode rows, all query heads of the group: the GQA-correct variant). A prompt
 * is attended whole, then cut at its end to the {@code recent} newest positions plus the {@code heavy}
 * highest-scored older ones per head; each decode step past the budget then evicts the lowest-scored
 * non-recent token of each head. Evicted scores are gone. Ties evict the older token.
 */
final class H2oCache extends EvictingCache {
    /** Query tokens scored together (bounds the weight scratch to this many rows times the slots). */
    private static final int TILE_TOKENS = 16;

    private final int heavy;
    private final int recent;
    private final int[] dropped;

    H2oCache(LayerContext context, int heavy, int recent) {
        this(context, heavy, recent, new SlotStore(context, true), 0);
    }

    private H2oCache(LayerContext context, int heavy, int recent, SlotStore store, int length) {
        super(context, store, length, true);
        this.heavy = heavy;
        this.recent = recent;
        this.dropped = new int[context.kvHeads()];
    }

    @Override
    protected long attended(float[] queries, int tokens) {
        int slots = store.slots();
        Parallel.parallelFor(context.kvHeads(), (from, to) -> {
            for (int h = from; h < to; h++) {
                float[] scores = store.scores(h);
                for (int first = 0; first < tokens; first += TILE_TOKENS) {
                    int count = Math.min(TILE_TOKENS, tokens - first);
                    float[] w = AttentionWeights.compute(store.blocks(), store.blockTokens(), slots, context.heads(),
                            context.kvHeads(), context.headDim(), h, queries, first, count, slots - tokens);
                    for (int r = 0; r < count * context.model().groupSize(); r++) {
                        VectorMath.axpy(1f, w, r * slots, scores, 0, slots);
                    }
                }
            }
        });
        if (tokens == 1 && slots > heavy + recent) {
            for (int h = 0; h < dropped.length; h++) {
                dropped[h] = lowestOlder(h);
            }
            store.dropOne(dropped);
        }
        // The scoring pass reads the visible keys again.
        long rows = (long) tokens * (slots - tokens) + (long) tokens * (tokens + 1) / 2;
        return rows * context.kvHeads() * context.headDim() * Float.BYTES;
    }

    /** The slot of head h's lowest-scored token outside the recent window (the older one on ties). */
    private int lowestOlder(int h) {
        float[] scores = store.scores(h);
        int best = -1;
        for (int s = 0; s < store.slots(); s++) {
            int p = store.position(h, s);
            if (p < length - recent && (best < 0 || scores[s] < scores[best]
                    || (scores[s] == scores[best] && p < store.position(h, best)))) {
                best = s;
            }
        }
        return best;
    }

    @Override
    protected void compress() {
        int slots = store.slots();
        if (slots <= heavy + recent) {
            return;
        }
        int[][] kept = new int[context.kvHeads()][];
        for (int h = 0; h < kept.length; h++) {
            float[] scores = store.scores(h);
            int head = h;
            Integer[] older = new Integer[slots];
            int n = 0;
            for (int s = 0; s < slots; s++) {
                if (store.position(h, s) < length - recent) {
                    older[n++] = s;
                }
            }
            // Highest score first; on ties the newer token first.
            Arrays.sort(older, 0, n, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a])
                    : Integer.compare(store.position(head, b), store.position(head, a)));
            int[] keep = new int[heavy + recent];
            int k = 0;
            for (int i = 0; i < heavy; i++) {
                keep[k++] = older[i];
            }
            for (int s = 0; s < slots; s++) {
                if (store.position(h, s) >= length - recent) {
                    keep[k++] = s;
                }
            }
            Arrays.sort(keep);
            kept[h] = keep;
        }
        store.keep(kept, heavy + recent);
    }

    @Override
    protected EvictingCache copy() {
        return new H2oCache(context, heavy, recent, store.fork(), length);
    }
}
