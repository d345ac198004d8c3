package io.longkv.kv.attention;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Decode and prefill attention over a block whose keys and values are stored in tiles of {@link #TILE}, so
 * every inner loop walks memory with a constant stride of {@link #TILE} floats: C2 then removes its bounds
 * checks and the hardware prefetcher sees one sequential stream per tile. A block of {@code width} slots
 * ({@code width} a multiple of {@link #TILE}) holds, per KV head:
 * <ul>
 * <li>keys in slot tiles: tile c (slots {@code [c * TILE, c * TILE + TILE)}) is {@code [dim][TILE]},
 * {@link #keyIndex}; a score then builds up in a vector lane with no horizontal sum;</li>
 * <li>values in dim tiles: tile h (dims {@code [h * TILE, ...)}, the last one narrower when headDim is not a
 * multiple of {@link #TILE}) is {@code [slot][tile width]}, {@link #valueIndex}.</li>
 * </ul>
 * Query rows go in pairs, so each key or value vector loaded serves two rows and eight accumulators stay in
 * registers (twelve spilled to the stack and serialized on store forwarding); an odd last row runs alone
 * with two interleaved chains (even and odd dims or slots), so it does not wait on FMA latency.
 */
public final class TiledKernels {
    /** Slots per key tile and dims per value tile: four vectors. */
    public static final int TILE = 32;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int V = 8;

    private TiledKernels() {
    }

    /** Slots of a block of {@code tokens}, padded to whole tiles. */
    public static int width(int tokens) {
        return (tokens + TILE - 1) / TILE * TILE;
    }

    /** Where key {@code (slot, dim)} of one head lives in its region of {@code headDim * width} floats. */
    public static int keyIndex(int slot, int dim, int headDim) {
        return (slot / TILE * headDim + dim) * TILE + slot % TILE;
    }

    /** Where value {@code (slot, dim)} of one head lives in its region of {@code width * headDim} floats. */
    public static int valueIndex(int slot, int dim, int headDim, int width) {
        int tile = dim / TILE * TILE;
        return tile * width + slot * Math.min(TILE, headDim - tile) + dim - tile;
    }

    /**
     * {@code scores[r * stride + t - from] = q_r . k_t} for slots t in {@code [from, to)} of one head's keys at
     * {@code keys[off ..]}, and the {@code rows} query rows stored contiguously in {@code q}. Scores outside
     * {@code [from, to)} are not written.
     */
    public static void scores(float[] keys, int off, int from, int to, int headDim, float[] q, int rows, float[] scores,
                              int stride) {
        for (int c = from / TILE * TILE; c < to; c += TILE) {
            int tile = off + c * headDim;
            int r = 0;
            for (; r + 1 < rows; r += 2) {
                scorePair(keys, tile, headDim, q, r * headDim, scores, r * stride + c - from, stride, c, from, to);
            }
            if (r < rows) {
                scoreRow(keys, tile, headDim, q, r * headDim, scores, r * stride + c - from, c, from, to);
            }
        }
    }

    private static void scorePair(float[] keys, int tile, int headDim, float[] q, int qa, float[] scores, int o,
                                  int stride, int first, int from, int to) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        int qb = qa + headDim;
        for (int d = 0; d < headDim; d++) {
            int k = tile + d * TILE;
            FloatVector k0 = FloatVector.fromArray(F, keys, k);
            FloatVector k1 = FloatVector.fromArray(F, keys, k + V);
            FloatVector k2 = FloatVector.fromArray(F, keys, k + 2 * V);
            FloatVector k3 = FloatVector.fromArray(F, keys, k + 3 * V);
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = k0.fma(x, a0);
            a1 = k1.fma(x, a1);
            a2 = k2.fma(x, a2);
            a3 = k3.fma(x, a3);
            x = FloatVector.broadcast(F, q[qb + d]);
            b0 = k0.fma(x, b0);
            b1 = k1.fma(x, b1);
            b2 = k2.fma(x, b2);
            b3 = k3.fma(x, b3);
        }
        // Stored here, not in a helper: vectors passed to a method C2 does not inline become heap objects.
        if (first >= from && first + TILE <= to) {
            a0.intoArray(scores, o);
            a1.intoArray(scores, o + V);
            a2.intoArray(scores, o + 2 * V);
            a3.intoArray(scores, o + 3 * V);
            b0.intoArray(scores, o + stride);
            b1.intoArray(scores, o + stride + V);
            b2.intoArray(scores, o + stride + 2 * V);
            b3.intoArray(scores, o + stride + 3 * V);
        } else {
            // The offset of a masked lane may be negative (a tile starting before from).
            a0.intoArray(scores, o, lanes(first, from, to));
            a1.intoArray(scores, o + V, lanes(first + V, from, to));
            a2.intoArray(scores, o + 2 * V, lanes(first + 2 * V, from, to));
            a3.intoArray(scores, o + 3 * V, lanes(first + 3 * V, from, to));
            b0.intoArray(scores, o + stride, lanes(first, from, to));
            b1.intoArray(scores, o + stride + V, lanes(first + V, from, to));
            b2.intoArray(scores, o + stride + 2 * V, lanes(first + 2 * V, from, to));
            b3.intoArray(scores, o + stride + 3 * V, lanes(first + 3 * V, from, to));
        }
    }

    private static void scoreRow(float[] keys, int tile, int headDim, float[] q, int qa, float[] scores, int o,
                                 int first, int from, int to) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        int d = 0;
        // Even and odd dims in separate chains: one chain of four accumulators would wait on FMA latency.
        for (; d + 1 < headDim; d += 2) {
            int k = tile + d * TILE;
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = FloatVector.fromArray(F, keys, k).fma(x, a0);
            a1 = FloatVector.fromArray(F, keys, k + V).fma(x, a1);
            a2 = FloatVector.fromArray(F, keys, k + 2 * V).fma(x, a2);
            a3 = FloatVector.fromArray(F, keys, k + 3 * V).fma(x, a3);
            x = FloatVector.broadcast(F, q[qa + d + 1]);
            b0 = FloatVector.fromArray(F, keys, k + TILE).fma(x, b0);
            b1 = FloatVector.fromArray(F, keys, k + TILE + V).fma(x, b1);
            b2 = FloatVector.fromArray(F, keys, k + TILE + 2 * V).fma(x, b2);
            b3 = FloatVector.fromArray(F, keys, k + TILE + 3 * V).fma(x, b3);
        }
        if (d < headDim) {
            int k = tile + d * TILE;
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = FloatVector.fromArray(F, keys, k).fma(x, a0);
            a1 = FloatVector.fromArray(F, keys, k + V).fma(x, a1);
            a2 = FloatVector.fromArray(F, keys, k + 2 * V).fma(x, a2);
            a3 = FloatVector.fromArray(F, keys, k + 3 * V).fma(x, a3);
        }
        a0 = a0.add(b0);
        a1 = a1.add(b1);
        a2 = a2.add(b2);
        a3 = a3.add(b3);
        if (first >= from && first + TILE <= to) {
            a0.intoArray(scores, o);
            a1.intoArray(scores, o + V);
            a2.intoArray(scores, o + 2 * V);
            a3.intoArray(scores, o + 3 * V);
        } else {
            a0.intoArray(scores, o, lanes(first, from, to));
            a1.intoArray(scores, o + V, lanes(first + V, from, to));
            a2.intoArray(scores, o + 2 * V, lanes(first + 2 * V, from, to));
            a3.intoArray(scores, o + 3 * V, lanes(first + 3 * V, from, to));
        }
    }

    /** The lanes of the vector starting at slot {@code first} that fall in {@code [from, to)}. */
    private static VectorMask<Float> lanes(int first, int from, int to) {
        int lo = Math.clamp(from - first, 0, V);
        int hi = Math.clamp(to - first, 0, V);
        return VectorMask.fromLong(F, (1L << hi) - (1L << lo));
    }

    /**
     * {@code acc[r * headDim + i] += sum_t p[r * stride + t - from] * v_t[i]} for slots t in {@code [from, to)} of
     * one head's values at {@code values[off ..]} (a block of {@code width} slots); the accumulators stay in
     * registers across the slots.
     */
    public static void accumulate(float[] values, int off, int width, int from, int to, int headDim, float[] p,
                                  int stride, int rows, float[] acc) {
        for (int h = 0; h < headDim; h += TILE) {
            int tileWidth = Math.min(TILE, headDim - h);
            int tile = off + h * width;
            int r = 0;
            if (tileWidth == TILE) {
                for (; r + 1 < rows; r += 2) {
                    accumulatePair(values, tile, from, to, p, r * stride - from, stride, acc, r * headDim + h, headDim);
                }
                if (r < rows) {
                    accumulateRow(values, tile, from, to, p, r * stride - from, acc, r * headDim + h);
                }
            } else {
                // A narrow last tile (headDim not a multiple of TILE): rare, so plain loops.
                for (; r < rows; r++) {
                    for (int t = from; t < to; t++) {
                        float pt = p[r * stride + t - from];
                        for (int i = 0; i < tileWidth; i++) {
                            acc[r * headDim + h + i] += pt * values[tile + t * tileWidth + i];
                        }
                    }
                }
            }
        }
    }

    private static void accumulatePair(float[] values, int tile, int from, int to, float[] p, int pa, int stride,
                                       float[] acc, int oa, int headDim) {
        int pb = pa + stride;
        int ob = oa + headDim;
        FloatVector a0 = FloatVector.fromArray(F, acc, oa);
        FloatVector a1 = FloatVector.fromArray(F, acc, oa + V);
        FloatVector a2 = FloatVector.fromArray(F, acc, oa + 2 * V);
        FloatVector a3 = FloatVector.fromArray(F, acc, oa + 3 * V);
        FloatVector b0 = FloatVector.fromArray(F, acc, ob);
        FloatVector b1 = FloatVector.fromArray(F, acc, ob + V);
        FloatVector b2 = FloatVector.fromArray(F, acc, ob + 2 * V);
        FloatVector b3 = FloatVector.fromArray(F, acc, ob + 3 * V);
        for (int t = from; t < to; t++) {
            int v = tile + t * TILE;
            FloatVector v0 = FloatVector.fromArray(F, values, v);
            FloatVector v1 = FloatVector.fromArray(F, values, v + V);
            FloatVector v2 = FloatVector.fromArray(F, values, v + 2 * V);
            FloatVector v3 = FloatVector.fromArray(F, values, v + 3 * V);
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            a2 = v2.fma(x, a2);
            a3 = v3.fma(x, a3);
            x = FloatVector.broadcast(F, p[pb + t]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
            b2 = v2.fma(x, b2);
            b3 = v3.fma(x, b3);
        }
        a0.intoArray(acc, oa);
        a1.intoArray(acc, oa + V);
        a2.intoArray(acc, oa + 2 * V);
        a3.intoArray(acc, oa + 3 * V);
        b0.intoArray(acc, ob);
        b1.intoArray(acc, ob + V);
        b2.intoArray(acc, ob + 2 * V);
        b3.intoArray(acc, ob + 3 * V);
    }

    private static void accumulateRow(float[] values, int tile, int from, int to, float[] p, int pa, float[] acc, int oa) {
        FloatVector a0 = FloatVector.fromArray(F, acc, oa);
        FloatVector a1 = FloatVector.fromArray(F, acc, oa + V);
        FloatVector a2 = FloatVector.fromArray(F, acc, oa + 2 * V);
        FloatVector a3 = FloatVector.fromArray(F, acc, oa + 3 * V);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = b0;
        FloatVector b2 = b0;
        FloatVector b3 = b0;
        int t = from;
        // Even and odd slots in separate chains, as in scoreRow.
        for (; t + 1 < to; t += 2) {
            int v = tile + t * TILE;
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = FloatVector.fromArray(F, values, v).fma(x, a0);
            a1 = FloatVector.fromArray(F, values, v + V).fma(x, a1);
            a2 = FloatVector.fromArray(F, values, v + 2 * V).fma(x, a2);
            a3 = FloatVector.fromArray(F, values, v + 3 * V).fma(x, a3);
            x = FloatVector.broadcast(F, p[pa + t + 1]);
            b0 = FloatVector.fromArray(F, values, v + TILE).fma(x, b0);
            b1 = FloatVector.fromArray(F, values, v + TILE + V).fma(x, b1);
            b2 = FloatVector.fromArray(F, values, v + TILE + 2 * V).fma(x, b2);
            b3 = FloatVector.fromArray(F, values, v + TILE + 3 * V).fma(x, b3);
        }
        if (t < to) {
            int v = tile + t * TILE;
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = FloatVector.fromArray(F, values, v).fma(x, a0);
            a1 = FloatVector.fromArray(F, values, v + V).fma(x, a1);
            a2 = FloatVector.fromArray(F, values, v + 2 * V).fma(x, a2);
            a3 = FloatVector.fromArray(F, values, v + 3 * V).fma(x, a3);
        }
        a0.add(b0).intoArray(acc, oa);
        a1.add(b1).intoArray(acc, oa + V);
        a2.add(b2).intoArray(acc, oa + 2 * V);
        a3.add(b3).intoArray(acc, oa + 3 * V);
    }
}
