package io.longkv.kv.quant;

import io.longkv.tensor.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention kernels on packed codes ({@link Quantizer}'s layout), never widening the cache to floats: a run of
 * 8 codes (one int's worth of bits or less) is broadcast, shifted per lane and converted in registers.
 * <ul>
 *   <li>Keys quantized per channel in groups of tokens: within a group, element
 *   {@link #keyElement}{@code (token, channel)} puts 8 consecutive tokens of one channel in one 8-lane chunk,
 *   so the scores of 8 tokens build up in one vector: {@code q.k_t = sum_c (q_c scale_c) code_tc + sum_c q_c min_c}.
 *   Params are the channels' scales, then their mins.</li>
 *   <li>Values quantized per token in groups of channels: element = channel, params one pair per channel
 *   group; each chunk is dequantized in registers ({@code code * scale_tj + min_tj}) and weighted by {@code p_t}.</li>
 * </ul>
 * Query rows are processed in blocks (up to four for keys, three for values) so each unpacked chunk feeds every
 * row's FMA (a GQA group reads the cache once). The 256-bit species is fixed because the layout is in chunks of 8 lanes.
 */
public final class PackedKernels {
    /** Lanes of a code chunk. */
    public static final int LANES = 8;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int ROW_BLOCK = 4;
    /** SHIFTS[bits][s * 8 + i]: where lane i of the s-th chunk in an int starts. */
    private static final int[][] SHIFTS = shifts();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PackedKernels() {
    }

    /** Element index of (token, channel) within a key group's packed stream. */
    public static int keyElement(int token, int channel, int headDim) {
        return ((token / LANES) * headDim + channel) * LANES + token % LANES;
    }

    /** Ints of one key group (groupTokens x headDim codes). */
    public static int keyGroupInts(int groupTokens, int headDim, int bits) {
        return Quantizer.ints(groupTokens * headDim, bits);
    }

    /**
     * {@code scores[r * stride + t] = q_r . k_t} for the tokens t of {@code groups} consecutive key groups
     * (group g's codes at {@code codes[codeBase + g * keyGroupInts]}, its headDim scales then headDim mins at
     * {@code params[paramBase + g * 2 * headDim]}) and the {@code rows} query rows stored contiguously in {@code q}.
     */
    public static void keyScores(int[] codes, int codeBase, short[] params, int paramBase, int groups, int groupTokens,
                                 int headDim, int bits, float[] q, int rows, float[] scores, int stride) {
        int padded = (rows + ROW_BLOCK - 1) / ROW_BLOCK * ROW_BLOCK;
        Scratch s = SCRATCH.get();
        s.ensure(padded * headDim, padded);
        s.ensureParams(2 * headDim);
        // Rows past the last are zero, so short row blocks read valid scaled queries.
        java.util.Arrays.fill(s.a, rows * headDim, padded * headDim, 0f);
        float[] qs = s.a;
        float[] constant = s.b;
        int perInt = Integer.SIZE / (LANES * bits);
        int chunkInts = headDim / perInt;
        int groupInts = keyGroupInts(groupTokens, headDim, bits);
        IntVector mask = IntVector.broadcast(I, (1 << bits) - 1);
        int[] shifts = SHIFTS[bits];
        for (int g = 0; g < groups; g++) {
            // Scales then mins of the group's channels, widened once; then q_c * scale_c and sum_c q_c * min_c per row.
            VectorMath.f16ToF32(params, paramBase + g * 2 * headDim, s.params, 0, 2 * headDim);
            for (int r = 0; r < rows; r++) {
                FloatVector minSum = FloatVector.zero(F);
                for (int c = 0; c < headDim; c += LANES) {
                    FloatVector qc = FloatVector.fromArray(F, q, r * headDim + c);
                    qc.mul(FloatVector.fromArray(F, s.params, c)).intoArray(qs, r * headDim + c);
                    minSum = qc.fma(FloatVector.fromArray(F, s.params, headDim + c), minSum);
                }
                // Reduced here: a vector passed to a helper C2 does not inline in a method this large is boxed.
                constant[r] = minSum.reduceLanes(VectorOperators.ADD);
            }
            for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
                int n = Math.min(ROW_BLOCK, rows - r0);
                // A GQA group of three (or a last block of three) skips the fourth row's FMAs: a quarter of the work.
                boolean fourth = n > 3;
                int q0 = r0 * headDim;
                int chunks = groupTokens / LANES;
                // Two chunks of 8 tokens at a time: each row's sum over 64 channels is a chain of dependent
                // FMAs, and three or four chains alone wait on FMA latency; two chunks double the chains.
                for (int k = 0; k < chunks; k += 2) {
                    boolean pair = k + 1 < chunks;
                    FloatVector a0 = FloatVector.zero(F);
                    FloatVector a1 = FloatVector.zero(F);
                    FloatVector a2 = FloatVector.zero(F);
                    FloatVector a3 = FloatVector.zero(F);
                    FloatVector b0 = FloatVector.zero(F);
                    FloatVector b1 = FloatVector.zero(F);
                    FloatVector b2 = FloatVector.zero(F);
                    FloatVector b3 = FloatVector.zero(F);
                    int wa = codeBase + g * groupInts + k * chunkInts;
                    // A lone last chunk reads its own codes twice; the second sums are not stored.
                    int wb = pair ? wa + chunkInts : wa;
                    // Channels in the order (sub, w) so each sub-chunk's shifts are loaded once.
                    for (int sub = 0; sub < perInt; sub++) {
                        IntVector shift = IntVector.fromArray(I, shifts, sub * LANES);
                        for (int w = 0; w < chunkInts; w++) {
                            FloatVector x = unpack(IntVector.broadcast(I, codes[wa + w]), shift, mask);
                            FloatVector y = unpack(IntVector.broadcast(I, codes[wb + w]), shift, mask);
                            int c = q0 + w * perInt + sub;
                            FloatVector qc = FloatVector.broadcast(F, qs[c]);
                            a0 = x.fma(qc, a0);
                            b0 = y.fma(qc, b0);
                            qc = FloatVector.broadcast(F, qs[c + headDim]);
                            a1 = x.fma(qc, a1);
                            b1 = y.fma(qc, b1);
                            qc = FloatVector.broadcast(F, qs[c + 2 * headDim]);
                            a2 = x.fma(qc, a2);
                            b2 = y.fma(qc, b2);
                            if (fourth) {
                                qc = FloatVector.broadcast(F, qs[c + 3 * headDim]);
                                a3 = x.fma(qc, a3);
                                b3 = y.fma(qc, b3);
                            }
                        }
                    }
                    // Stores written out, not through a helper: C2 may box vectors passed to a call it does not inline.
                    int o = r0 * stride + g * groupTokens + k * LANES;
                    a0.add(constant[r0]).intoArray(scores, o);
                    if (n > 1) {
                        a1.add(constant[r0 + 1]).intoArray(scores, o + stride);
                    }
                    if (n > 2) {
                        a2.add(constant[r0 + 2]).intoArray(scores, o + 2 * stride);
                    }
                    if (fourth) {
                        a3.add(constant[r0 + 3]).intoArray(scores, o + 3 * stride);
                    }
                    if (pair) {
                        int ob = o + LANES;
                        b0.add(constant[r0]).intoArray(scores, ob);
                        if (n > 1) {
                            b1.add(constant[r0 + 1]).intoArray(scores, ob + stride);
                        }
                        if (n > 2) {
                            b2.add(constant[r0 + 2]).intoArray(scores, ob + 2 * stride);
                        }
                        if (fourth) {
                            b3.add(constant[r0 + 3]).intoArray(scores, ob + 3 * stride);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code acc[r * headDim + i] += sum_t p[r * stride + pOffset + t] * v_t[i]} for {@code count} value tokens
     * (token t's codes at {@code codes[codeBase + t * tokenInts]}, its headDim / groupSize (scale, min) pairs at
     * {@code params[paramBase + t * 2 * headDim / groupSize]}). Each chunk of 8 codes is dequantized in registers
     * ({@code code * scale + min}, one FMA) and feeds every row's FMA, so the probabilities are read as they are.
     */
    public static void valueAccumulate(int[] codes, int codeBase, short[] params, int paramBase, int count, int headDim,
                                       int groupSize, int bits, float[] p, int pOffset, int stride, int rows, float[] acc) {
        int groupsPerToken = headDim / groupSize;
        int tokenInts = Quantizer.ints(headDim, bits);
        int pairs = count * groupsPerToken * 2;
        Scratch s = SCRATCH.get();
        s.ensureParams(pairs);
        float[] pair = s.params;
        VectorMath.f16ToF32(params, paramBase, pair, 0, pairs);
        int perInt = Integer.SIZE / (LANES * bits);
        IntVector mask = IntVector.broadcast(I, (1 << bits) - 1);
        int[] shifts = SHIFTS[bits];
        // Blocks of at most three rows, as even as possible (four rows are two blocks of two): with a fourth
        // row's accumulators C2 ran out of registers and spilled inside the token loop.
        int blocks = (rows + 2) / 3;
        for (int blk = 0; blk < blocks; blk++) {
            int r0 = rows * blk / blocks;
            int n = rows * (blk + 1) / blocks - r0;
            // Rows past the last reread row r0's probabilities; their sums are never stored.
            int p0 = r0 * stride + pOffset;
            int p1 = (n > 1 ? r0 + 1 : r0) * stride + pOffset;
            int p2 = (n > 2 ? r0 + 2 : r0) * stride + pOffset;
            // Two chunks of 8 channels at a time: each row's sum over the tokens is a chain of dependent FMAs,
            // and three chains alone wait on FMA latency; two chunks double the chains.
            for (int m = 0; m < headDim / LANES; m += 2) {
                int m1 = m + 1 < headDim / LANES ? m + 1 : m;
                int j0 = m * LANES / groupSize;
                int j1 = m1 * LANES / groupSize;
                IntVector shift0 = IntVector.fromArray(I, shifts, (m % perInt) * LANES);
                IntVector shift1 = IntVector.fromArray(I, shifts, (m1 % perInt) * LANES);
                int word0 = codeBase + m / perInt;
                int word1 = codeBase + m1 / perInt;
                // Usually both chunks share a code word (2- and 1-bit codes) and a channel group (groups of 16 or
                // more): loaded and broadcast once then, about a fifth off the kernel's time. C2 unswitches the loop.
                boolean sameWord = word0 == word1;
                boolean sameGroup = j0 == j1;
                int o = r0 * headDim + m * LANES;
                int o1 = r0 * headDim + m1 * LANES;
                FloatVector a0 = FloatVector.fromArray(F, acc, o);
                FloatVector a1 = n > 1 ? FloatVector.fromArray(F, acc, o + headDim) : a0;
                FloatVector a2 = n > 2 ? FloatVector.fromArray(F, acc, o + 2 * headDim) : a0;
                FloatVector b0 = FloatVector.fromArray(F, acc, o1);
                FloatVector b1 = n > 1 ? FloatVector.fromArray(F, acc, o1 + headDim) : b0;
                FloatVector b2 = n > 2 ? FloatVector.fromArray(F, acc, o1 + 2 * headDim) : b0;
                for (int t = 0; t < count; t++) {
                    int pp0 = (t * groupsPerToken + j0) * 2;
                    int pp1 = (t * groupsPerToken + j1) * 2;
                    IntVector wx = IntVector.broadcast(I, codes[word0 + t * tokenInts]);
                    IntVector wy = sameWord ? wx : IntVector.broadcast(I, codes[word1 + t * tokenInts]);
                    FloatVector scale0 = FloatVector.broadcast(F, pair[pp0]);
                    FloatVector min0 = FloatVector.broadcast(F, pair[pp0 + 1]);
                    FloatVector scale1 = sameGroup ? scale0 : FloatVector.broadcast(F, pair[pp1]);
                    FloatVector min1 = sameGroup ? min0 : FloatVector.broadcast(F, pair[pp1 + 1]);
                    FloatVector x = unpack(wx, shift0, mask).fma(scale0, min0);
                    FloatVector y = unpack(wy, shift1, mask).fma(scale1, min1);
                    FloatVector pt = FloatVector.broadcast(F, p[p0 + t]);
                    a0 = x.fma(pt, a0);
                    b0 = y.fma(pt, b0);
                    pt = FloatVector.broadcast(F, p[p1 + t]);
                    a1 = x.fma(pt, a1);
                    b1 = y.fma(pt, b1);
                    pt = FloatVector.broadcast(F, p[p2 + t]);
                    a2 = x.fma(pt, a2);
                    b2 = y.fma(pt, b2);
                }
                // An odd last chunk (m1 == m) was summed twice from the same start; storing b after a keeps one copy.
                a0.intoArray(acc, o);
                b0.intoArray(acc, o1);
                if (n > 1) {
                    a1.intoArray(acc, o + headDim);
                    b1.intoArray(acc, o1 + headDim);
                }
                if (n > 2) {
                    a2.intoArray(acc, o + 2 * headDim);
                    b2.intoArray(acc, o1 + 2 * headDim);
                }
            }
        }
    }

    /** The 8 codes of one chunk as floats: lane i is {@code (word >>> shift_i) & mask} (word broadcast to every lane). */
    private static FloatVector unpack(IntVector word, IntVector shift, IntVector mask) {
        return (FloatVector) word.lanewise(VectorOperators.LSHR, shift).and(mask).convert(VectorOperators.I2F, 0);
    }

    private static int[][] shifts() {
        int[][] table = new int[5][];
        for (int bits : new int[] {1, 2, 4}) {
            table[bits] = new int[Integer.SIZE / bits];
            for (int i = 0; i < table[bits].length; i++) {
                table[bits][i] = i * bits;
            }
        }
        return table;
    }

    /** Per-thread work arrays: scaled queries, per-row constants, widened params (key scales and mins, or value pairs). */
    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        float[] params = new float[0];

        void ensureParams(int n) {
            if (params.length < n) {
                params = new float[n];
            }
        }

        void ensure(int first, int second) {
            if (a.length < first) {
                a = new float[first];
            }
            if (b.length < second) {
                b = new float[second];
            }
        }
    }
}
