package io.longkv.tokenizer;

import java.util.Arrays;

/**
 * Applies BPE merges to one word: repeatedly merges the adjacent pair with the lowest rank (leftmost on
 * ties), with a heap of candidate pairs over a linked list of symbols, so a word of n symbols costs O(n log n).
 */
final class BpeMerger {
    private BpeMerger() {
    }

    /** The token ids after merging; ids below 0 (bytes with no token) take part in no merge and are dropped. */
    static int[] merge(int[] symbols, MergeTable merges) {
        int n = symbols.length;
        int[] tokens = symbols.clone();
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, merges, tokens, i, i + 1);
        }
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int left = (int) entry;
            int right = next[left];
            if (tokens[left] < 0 || right < 0) {
                continue; // the left symbol was absorbed, or is now last
            }
            long merge = merges.get(tokens[left], tokens[right]);
            if (rankOf(merge) != (int) (entry >>> 32)) {
                continue; // a side has changed since the pair was queued (ranks are unique per pair)
            }
            tokens[left] = (int) merge;
            tokens[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                offer(heap, merges, tokens, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(heap, merges, tokens, left, next[left]);
            }
        }
        return Arrays.stream(tokens).filter(t -> t >= 0).toArray();
    }

    private static void offer(LongHeap heap, MergeTable merges, int[] tokens, int left, int right) {
        long merge = merges.get(tokens[left], tokens[right]);
        if (merge >= 0) {
            heap.add(((long) rankOf(merge) << 32) | left); // ordered by rank, then by position
        }
    }

    private static int rankOf(long merge) {
        return merge < 0 ? -1 : (int) (merge >>> 32);
    }
}
