package io.longkv.kv.block;

import io.longkv.kv.attention.TiledKernels;

/**
 * Where a tiled block (f32 or f16) keeps each element, all in one array: per KV head its keys then its
 * values, each {@code headDim * width} elements, keys in {@link TiledKernels}' slot tiles and values in its
 * dim tiles, slots padded to whole tiles. Decode reads a block's heads in turn, keys then values, so one
 * array read front to back is one stream for the hardware prefetcher. The visits walk a run of slots in row
 * order, for what reads or writes rows (readKeys, save, load).
 */
final class Tiles {
    final int headDim;
    /** Slots per head, padded to whole tiles. */
    final int width;

    Tiles(int tokens, int headDim) {
        this.headDim = headDim;
        this.width = TiledKernels.width(tokens);
    }

    /** Elements of the keys and values of all heads. */
    int size(int kvHeads) {
        return 2 * kvHeads * headDim * width;
    }

    /** Start of a head's keys. */
    int keyStart(int head) {
        return 2 * head * headDim * width;
    }

    /** Start of a head's values. */
    int valueStart(int head) {
        return keyStart(head) + headDim * width;
    }

    int key(int head, int slot, int dim) {
        return keyStart(head) + TiledKernels.keyIndex(slot, dim, headDim);
    }

    int value(int head, int slot, int dim) {
        return valueStart(head) + TiledKernels.valueIndex(slot, dim, headDim, width);
    }

    /** Visits the keys of slots {@code [from, to)} of {@code head}: row element {@code (t - from) * headDim + d}. */
    void keys(int head, int from, int to, Visit visit) {
        for (int t = from; t < to; t++) {
            for (int d = 0; d < headDim; d++) {
                visit.at((t - from) * headDim + d, key(head, t, d));
            }
        }
    }

    /** As {@link #keys}, for the values. */
    void values(int head, int from, int to, Visit visit) {
        for (int t = from; t < to; t++) {
            for (int d = 0; d < headDim; d++) {
                visit.at((t - from) * headDim + d, value(head, t, d));
            }
        }
    }

    /** One element: its index in a run's rows and in the tiled array. */
    interface Visit {
        void at(int row, int tile);
    }
}
