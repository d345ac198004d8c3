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
 * A tile row is one cache line (two vectors), and query rows go four at a time (eight accumulators, as FMA
 * latency times throughput needs), the remainder as a triple, a pair or a row. A GQA group of three, the
 * default model's, thus reads each line once with all its rows' FMAs between the loads, so the core computes
 * while the next lines are in flight: decode attention at depth 8192 ran 4.6-6.5% faster than with 32-slot
 * tiles, two rows per pass and a second pass from L1 for the third. The cost is in cache: a pair or a lone row loads
 * twice as many vectors per FMA as on 32-slot tiles. Loops that take two dims or slots per iteration, written
 * out, stop at a precomputed even bound: C2 would otherwise unroll a one-step body four times and spill
 * accumulators, and it keeps range checks in a loop bounded by {@code i + 1 < n}.
 */
public final class TiledKernels {
    /** Slots per key tile and dims per value tile: one 64-byte cache line of floats, two vectors. */
    public static final int TILE = 16;
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
            boolean whole = c >= from && c + TILE <= to;
            int r = 0;
            for (; rows - r >= 4; r += 4) {
                scoreQuad(keys, tile, headDim, q, r * headDim, scores, r * stride + c - from, stride, whole, c, from, to);
            }
            if (rows - r == 3) {
                scoreTriple(keys, tile, headDim, q, r * headDim, scores, r * stride + c - from, stride, whole, c, from, to);
            } else if (rows - r == 2) {
                scorePair(keys, tile, headDim, q, r * headDim, scores, r * stride + c - from, stride, whole, c, from, to);
            } else if (rows - r == 1) {
                scoreRow(keys, tile, headDim, q, r * headDim, scores, r * stride + c - from, whole, c, from, to);
            }
        }
    }

    private static void scoreQuad(float[] keys, int tile, int headDim, float[] q, int qa, float[] scores, int o,
                                  int stride, boolean whole, int first, int from, int to) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector e0 = a0;
        FloatVector e1 = a0;
        int qb = qa + headDim;
        int qc = qb + headDim;
        int qe = qc + headDim;
        for (int d = 0; d < headDim; d++) {
            int k = tile + d * TILE;
            FloatVector k0 = FloatVector.fromArray(F, keys, k);
            FloatVector k1 = FloatVector.fromArray(F, keys, k + V);
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = k0.fma(x, a0);
            a1 = k1.fma(x, a1);
            x = FloatVector.broadcast(F, q[qb + d]);
            b0 = k0.fma(x, b0);
            b1 = k1.fma(x, b1);
            x = FloatVector.broadcast(F, q[qc + d]);
            c0 = k0.fma(x, c0);
            c1 = k1.fma(x, c1);
            x = FloatVector.broadcast(F, q[qe + d]);
            e0 = k0.fma(x, e0);
            e1 = k1.fma(x, e1);
        }
        // Stored here, not in a helper: vectors passed to a method C2 does not inline become heap objects.
        if (whole) {
            a0.intoArray(scores, o);
            a1.intoArray(scores, o + V);
            b0.intoArray(scores, o + stride);
            b1.intoArray(scores, o + stride + V);
            c0.intoArray(scores, o + 2 * stride);
            c1.intoArray(scores, o + 2 * stride + V);
            e0.intoArray(scores, o + 3 * stride);
            e1.intoArray(scores, o + 3 * stride + V);
        } else {
            // The offset of a masked lane may be negative (a tile starting before from).
            VectorMask<Float> m0 = lanes(first, from, to);
            VectorMask<Float> m1 = lanes(first + V, from, to);
            a0.intoArray(scores, o, m0);
            a1.intoArray(scores, o + V, m1);
            b0.intoArray(scores, o + stride, m0);
            b1.intoArray(scores, o + stride + V, m1);
            c0.intoArray(scores, o + 2 * stride, m0);
            c1.intoArray(scores, o + 2 * stride + V, m1);
            e0.intoArray(scores, o + 3 * stride, m0);
            e1.intoArray(scores, o + 3 * stride + V, m1);
        }
    }

    private static void scoreTriple(float[] keys, int tile, int headDim, float[] q, int qa, float[] scores, int o,
                                    int stride, boolean whole, int first, int from, int to) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        int qb = qa + headDim;
        int qc = qb + headDim;
        int d = 0;
        int pairsEnd = headDim & ~1;
        // Two dims per iteration, written out: C2 unrolls a one-dim body four times, loads every key vector
        // first and spills accumulators to the stack.
        for (; d < pairsEnd; d += 2) {
            int k = tile + d * TILE;
            FloatVector k0 = FloatVector.fromArray(F, keys, k);
            FloatVector k1 = FloatVector.fromArray(F, keys, k + V);
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = k0.fma(x, a0);
            a1 = k1.fma(x, a1);
            x = FloatVector.broadcast(F, q[qb + d]);
            b0 = k0.fma(x, b0);
            b1 = k1.fma(x, b1);
            x = FloatVector.broadcast(F, q[qc + d]);
            c0 = k0.fma(x, c0);
            c1 = k1.fma(x, c1);
            k0 = FloatVector.fromArray(F, keys, k + TILE);
            k1 = FloatVector.fromArray(F, keys, k + TILE + V);
            x = FloatVector.broadcast(F, q[qa + d + 1]);
            a0 = k0.fma(x, a0);
            a1 = k1.fma(x, a1);
            x = FloatVector.broadcast(F, q[qb + d + 1]);
            b0 = k0.fma(x, b0);
            b1 = k1.fma(x, b1);
            x = FloatVector.broadcast(F, q[qc + d + 1]);
            c0 = k0.fma(x, c0);
            c1 = k1.fma(x, c1);
        }
        if (d < headDim) {
            int k = tile + d * TILE;
            FloatVector k0 = FloatVector.fromArray(F, keys, k);
            FloatVector k1 = FloatVector.fromArray(F, keys, k + V);
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = k0.fma(x, a0);
            a1 = k1.fma(x, a1);
            x = FloatVector.broadcast(F, q[qb + d]);
            b0 = k0.fma(x, b0);
            b1 = k1.fma(x, b1);
            x = FloatVector.broadcast(F, q[qc + d]);
            c0 = k0.fma(x, c0);
            c1 = k1.fma(x, c1);
        }
        if (whole) {
            a0.intoArray(scores, o);
            a1.intoArray(scores, o + V);
            b0.intoArray(scores, o + stride);
            b1.intoArray(scores, o + stride + V);
            c0.intoArray(scores, o + 2 * stride);
            c1.intoArray(scores, o + 2 * stride + V);
        } else {
            VectorMask<Float> m0 = lanes(first, from, to);
            VectorMask<Float> m1 = lanes(first + V, from, to);
            a0.intoArray(scores, o, m0);
            a1.intoArray(scores, o + V, m1);
            b0.intoArray(scores, o + stride, m0);
            b1.intoArray(scores, o + stride + V, m1);
            c0.intoArray(scores, o + 2 * stride, m0);
            c1.intoArray(scores, o + 2 * stride + V, m1);
        }
    }

    private static void scorePair(float[] keys, int tile, int headDim, float[] q, int qa, float[] scores, int o,
                                  int stride, boolean whole, int first, int from, int to) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector e0 = a0;
        FloatVector e1 = a0;
        int qb = qa + headDim;
        int d = 0;
        int pairsEnd = headDim & ~1;
        // Even dims into a and b, odd dims into c and e: eight chains, as a quad has.
        for (; d < pairsEnd; d += 2) {
            int k = tile + d * TILE;
            FloatVector k0 = FloatVector.fromArray(F, keys, k);
            FloatVector k1 = FloatVector.fromArray(F, keys, k + V);
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = k0.fma(x, a0);
            a1 = k1.fma(x, a1);
            x = FloatVector.broadcast(F, q[qb + d]);
            b0 = k0.fma(x, b0);
            b1 = k1.fma(x, b1);
            k0 = FloatVector.fromArray(F, keys, k + TILE);
            k1 = FloatVector.fromArray(F, keys, k + TILE + V);
            x = FloatVector.broadcast(F, q[qa + d + 1]);
            c0 = k0.fma(x, c0);
            c1 = k1.fma(x, c1);
            x = FloatVector.broadcast(F, q[qb + d + 1]);
            e0 = k0.fma(x, e0);
            e1 = k1.fma(x, e1);
        }
        if (d < headDim) {
            int k = tile + d * TILE;
            FloatVector k0 = FloatVector.fromArray(F, keys, k);
            FloatVector k1 = FloatVector.fromArray(F, keys, k + V);
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = k0.fma(x, a0);
            a1 = k1.fma(x, a1);
            x = FloatVector.broadcast(F, q[qb + d]);
            b0 = k0.fma(x, b0);
            b1 = k1.fma(x, b1);
        }
        a0 = a0.add(c0);
        a1 = a1.add(c1);
        b0 = b0.add(e0);
        b1 = b1.add(e1);
        if (whole) {
            a0.intoArray(scores, o);
            a1.intoArray(scores, o + V);
            b0.intoArray(scores, o + stride);
            b1.intoArray(scores, o + stride + V);
        } else {
            VectorMask<Float> m0 = lanes(first, from, to);
            VectorMask<Float> m1 = lanes(first + V, from, to);
            a0.intoArray(scores, o, m0);
            a1.intoArray(scores, o + V, m1);
            b0.intoArray(scores, o + stride, m0);
            b1.intoArray(scores, o + stride + V, m1);
        }
    }

    private static void scoreRow(float[] keys, int tile, int headDim, float[] q, int qa, float[] scores, int o,
                                 boolean whole, int first, int from, int to) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        int d = 0;
        int pairsEnd = headDim & ~1;
        // Even and odd dims in separate chains: one chain of two accumulators would wait on FMA latency.
        for (; d < pairsEnd; d += 2) {
            int k = tile + d * TILE;
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = FloatVector.fromArray(F, keys, k).fma(x, a0);
            a1 = FloatVector.fromArray(F, keys, k + V).fma(x, a1);
            x = FloatVector.broadcast(F, q[qa + d + 1]);
            b0 = FloatVector.fromArray(F, keys, k + TILE).fma(x, b0);
            b1 = FloatVector.fromArray(F, keys, k + TILE + V).fma(x, b1);
        }
        if (d < headDim) {
            int k = tile + d * TILE;
            FloatVector x = FloatVector.broadcast(F, q[qa + d]);
            a0 = FloatVector.fromArray(F, keys, k).fma(x, a0);
            a1 = FloatVector.fromArray(F, keys, k + V).fma(x, a1);
        }
        a0 = a0.add(b0);
        a1 = a1.add(b1);
        if (whole) {
            a0.intoArray(scores, o);
            a1.intoArray(scores, o + V);
        } else {
            a0.intoArray(scores, o, lanes(first, from, to));
            a1.intoArray(scores, o + V, lanes(first + V, from, to));
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
                for (; rows - r >= 4; r += 4) {
                    accumulateQuad(values, tile, from, to, p, r * stride - from, stride, acc, r * headDim + h, headDim);
                }
                if (rows - r == 3) {
                    accumulateTriple(values, tile, from, to, p, r * stride - from, stride, acc, r * headDim + h, headDim);
                } else if (rows - r == 2) {
                    accumulatePair(values, tile, from, to, p, r * stride - from, stride, acc, r * headDim + h, headDim);
                } else if (rows - r == 1) {
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

    private static void accumulateQuad(float[] values, int tile, int from, int to, float[] p, int pa, int stride,
                                       float[] acc, int oa, int headDim) {
        int pb = pa + stride;
        int pc = pb + stride;
        int pe = pc + stride;
        int ob = oa + headDim;
        int oc = ob + headDim;
        int oe = oc + headDim;
        FloatVector a0 = FloatVector.fromArray(F, acc, oa);
        FloatVector a1 = FloatVector.fromArray(F, acc, oa + V);
        FloatVector b0 = FloatVector.fromArray(F, acc, ob);
        FloatVector b1 = FloatVector.fromArray(F, acc, ob + V);
        FloatVector c0 = FloatVector.fromArray(F, acc, oc);
        FloatVector c1 = FloatVector.fromArray(F, acc, oc + V);
        FloatVector e0 = FloatVector.fromArray(F, acc, oe);
        FloatVector e1 = FloatVector.fromArray(F, acc, oe + V);
        int t = from;
        int pairsEnd = from + ((to - from) & ~1);
        // Two slots per iteration, as in accumulateTriple.
        for (; t < pairsEnd; t += 2) {
            int v = tile + t * TILE;
            FloatVector v0 = FloatVector.fromArray(F, values, v);
            FloatVector v1 = FloatVector.fromArray(F, values, v + V);
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            x = FloatVector.broadcast(F, p[pb + t]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
            x = FloatVector.broadcast(F, p[pc + t]);
            c0 = v0.fma(x, c0);
            c1 = v1.fma(x, c1);
            x = FloatVector.broadcast(F, p[pe + t]);
            e0 = v0.fma(x, e0);
            e1 = v1.fma(x, e1);
            v0 = FloatVector.fromArray(F, values, v + TILE);
            v1 = FloatVector.fromArray(F, values, v + TILE + V);
            x = FloatVector.broadcast(F, p[pa + t + 1]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            x = FloatVector.broadcast(F, p[pb + t + 1]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
            x = FloatVector.broadcast(F, p[pc + t + 1]);
            c0 = v0.fma(x, c0);
            c1 = v1.fma(x, c1);
            x = FloatVector.broadcast(F, p[pe + t + 1]);
            e0 = v0.fma(x, e0);
            e1 = v1.fma(x, e1);
        }
        if (t < to) {
            int v = tile + t * TILE;
            FloatVector v0 = FloatVector.fromArray(F, values, v);
            FloatVector v1 = FloatVector.fromArray(F, values, v + V);
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            x = FloatVector.broadcast(F, p[pb + t]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
            x = FloatVector.broadcast(F, p[pc + t]);
            c0 = v0.fma(x, c0);
            c1 = v1.fma(x, c1);
            x = FloatVector.broadcast(F, p[pe + t]);
            e0 = v0.fma(x, e0);
            e1 = v1.fma(x, e1);
        }
        a0.intoArray(acc, oa);
        a1.intoArray(acc, oa + V);
        b0.intoArray(acc, ob);
        b1.intoArray(acc, ob + V);
        c0.intoArray(acc, oc);
        c1.intoArray(acc, oc + V);
        e0.intoArray(acc, oe);
        e1.intoArray(acc, oe + V);
    }

    private static void accumulateTriple(float[] values, int tile, int from, int to, float[] p, int pa, int stride,
                                         float[] acc, int oa, int headDim) {
        int pb = pa + stride;
        int pc = pb + stride;
        int ob = oa + headDim;
        int oc = ob + headDim;
        FloatVector a0 = FloatVector.fromArray(F, acc, oa);
        FloatVector a1 = FloatVector.fromArray(F, acc, oa + V);
        FloatVector b0 = FloatVector.fromArray(F, acc, ob);
        FloatVector b1 = FloatVector.fromArray(F, acc, ob + V);
        FloatVector c0 = FloatVector.fromArray(F, acc, oc);
        FloatVector c1 = FloatVector.fromArray(F, acc, oc + V);
        int t = from;
        int pairsEnd = from + ((to - from) & ~1);
        // Two slots per iteration, as in scoreTriple.
        for (; t < pairsEnd; t += 2) {
            int v = tile + t * TILE;
            FloatVector v0 = FloatVector.fromArray(F, values, v);
            FloatVector v1 = FloatVector.fromArray(F, values, v + V);
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            x = FloatVector.broadcast(F, p[pb + t]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
            x = FloatVector.broadcast(F, p[pc + t]);
            c0 = v0.fma(x, c0);
            c1 = v1.fma(x, c1);
            v0 = FloatVector.fromArray(F, values, v + TILE);
            v1 = FloatVector.fromArray(F, values, v + TILE + V);
            x = FloatVector.broadcast(F, p[pa + t + 1]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            x = FloatVector.broadcast(F, p[pb + t + 1]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
            x = FloatVector.broadcast(F, p[pc + t + 1]);
            c0 = v0.fma(x, c0);
            c1 = v1.fma(x, c1);
        }
        if (t < to) {
            int v = tile + t * TILE;
            FloatVector v0 = FloatVector.fromArray(F, values, v);
            FloatVector v1 = FloatVector.fromArray(F, values, v + V);
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            x = FloatVector.broadcast(F, p[pb + t]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
            x = FloatVector.broadcast(F, p[pc + t]);
            c0 = v0.fma(x, c0);
            c1 = v1.fma(x, c1);
        }
        a0.intoArray(acc, oa);
        a1.intoArray(acc, oa + V);
        b0.intoArray(acc, ob);
        b1.intoArray(acc, ob + V);
        c0.intoArray(acc, oc);
        c1.intoArray(acc, oc + V);
    }

    private static void accumulatePair(float[] values, int tile, int from, int to, float[] p, int pa, int stride,
                                       float[] acc, int oa, int headDim) {
        int pb = pa + stride;
        int ob = oa + headDim;
        FloatVector a0 = FloatVector.fromArray(F, acc, oa);
        FloatVector a1 = FloatVector.fromArray(F, acc, oa + V);
        FloatVector b0 = FloatVector.fromArray(F, acc, ob);
        FloatVector b1 = FloatVector.fromArray(F, acc, ob + V);
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = c0;
        FloatVector e0 = c0;
        FloatVector e1 = c0;
        int t = from;
        int pairsEnd = from + ((to - from) & ~1);
        // Even slots into a and b, odd slots into c and e, as in scorePair.
        for (; t < pairsEnd; t += 2) {
            int v = tile + t * TILE;
            FloatVector v0 = FloatVector.fromArray(F, values, v);
            FloatVector v1 = FloatVector.fromArray(F, values, v + V);
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            x = FloatVector.broadcast(F, p[pb + t]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
            v0 = FloatVector.fromArray(F, values, v + TILE);
            v1 = FloatVector.fromArray(F, values, v + TILE + V);
            x = FloatVector.broadcast(F, p[pa + t + 1]);
            c0 = v0.fma(x, c0);
            c1 = v1.fma(x, c1);
            x = FloatVector.broadcast(F, p[pb + t + 1]);
            e0 = v0.fma(x, e0);
            e1 = v1.fma(x, e1);
        }
        if (t < to) {
            int v = tile + t * TILE;
            FloatVector v0 = FloatVector.fromArray(F, values, v);
            FloatVector v1 = FloatVector.fromArray(F, values, v + V);
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = v0.fma(x, a0);
            a1 = v1.fma(x, a1);
            x = FloatVector.broadcast(F, p[pb + t]);
            b0 = v0.fma(x, b0);
            b1 = v1.fma(x, b1);
        }
        a0.add(c0).intoArray(acc, oa);
        a1.add(c1).intoArray(acc, oa + V);
        b0.add(e0).intoArray(acc, ob);
        b1.add(e1).intoArray(acc, ob + V);
    }

    private static void accumulateRow(float[] values, int tile, int from, int to, float[] p, int pa, float[] acc, int oa) {
        FloatVector a0 = FloatVector.fromArray(F, acc, oa);
        FloatVector a1 = FloatVector.fromArray(F, acc, oa + V);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = b0;
        int t = from;
        int pairsEnd = from + ((to - from) & ~1);
        // Even and odd slots in separate chains, as in scoreRow.
        for (; t < pairsEnd; t += 2) {
            int v = tile + t * TILE;
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = FloatVector.fromArray(F, values, v).fma(x, a0);
            a1 = FloatVector.fromArray(F, values, v + V).fma(x, a1);
            x = FloatVector.broadcast(F, p[pa + t + 1]);
            b0 = FloatVector.fromArray(F, values, v + TILE).fma(x, b0);
            b1 = FloatVector.fromArray(F, values, v + TILE + V).fma(x, b1);
        }
        if (t < to) {
            int v = tile + t * TILE;
            FloatVector x = FloatVector.broadcast(F, p[pa + t]);
            a0 = FloatVector.fromArray(F, values, v).fma(x, a0);
            a1 = FloatVector.fromArray(F, values, v + V).fma(x, a1);
        }
        a0.add(b0).intoArray(acc, oa);
        a1.add(b1).intoArray(acc, oa + V);
    }
}
