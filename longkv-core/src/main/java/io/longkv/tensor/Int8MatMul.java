package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;

import jdk.incubator.vector.FloatVector;

/**
 * Matrix x many-token products (prefill) on 8-bit activations, as llama.cpp computes them for the
 * {@link Int8Rows} types: the chunk's tokens are quantized once, then every output is one product in
 * ggml's order ({@link GgmlBlockOrder}), so prefill and decode give the same value for the same row and
 * token.
 *
 * <p>ggml's lane l of a block is the integer sum of values 4l..4l+3 times their codes. Here it is formed
 * in float, {@code v0 * c0 + v1 * c1 + v2 * c2 + v3 * c3} with v_j and c_j the 8 lanes' values 4l + j:
 * every product and partial sum is an integer below 2^24, so the result is exact, and it takes four
 * FMAs where the Vector API has no byte multiply-add (maddubs) to do it in integers cheaply. Weight rows
 * and codes are laid out that way once ({@link Int8Rows#unpackLanes}, {@link #laneCodes}); threads take
 * tiles of ROW_TILE rows, unpacked once and run over the tokens TOKEN_TILE at a time, four tokens per pass.
 */
final class Int8MatMul {
    private static final int ROW_TILE = 16;
    private static final int TOKEN_TILE = 64;
    private static final ThreadLocal<Q8Activations> CHUNK = ThreadLocal.withInitial(() -> new Q8Activations(0));
    private static final ThreadLocal<float[]> LANE_CODES = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<Tile> TILES = ThreadLocal.withInitial(Tile::new);

    private Int8MatMul() {
    }

    /** One unpacked weight row (per-thread scratch). */
    private static final class Row {
        float[] values = new float[0];
        float[] scales = new float[0];
        float[] mins = new float[0];

        Row ensure(int cols) {
            if (values.length < cols) {
                values = new float[cols];
                scales = new float[cols / 32];
                mins = new float[cols / 32];
            }
            return this;
        }
    }

    /** ROW_TILE unpacked weight rows (per-thread scratch). */
    private static final class Tile {
        Row[] rows = new Row[0];

        Tile ensure(int count, int cols) {
            if (rows.length < count) {
                rows = new Row[count];
                for (int i = 0; i < count; i++) {
                    rows[i] = new Row();
                }
            }
            return this;
        }
    }

    static void run(WeightMatrix w, Int8Rows kernel, float[] x, int tokens, float[] out) {
        int rows = w.rows();
        int cols = w.cols();
        Q8Activations q = CHUNK.get();
        q.quantize(x, 0, tokens * cols);
        float[] codes = laneCodes(q, tokens * cols);
        boolean hasMin = kernel.hasMin();
        int rowTiles = (rows + ROW_TILE - 1) / ROW_TILE;
        Parallel.parallelFor(rowTiles, (from, to) -> {
            Tile tile = TILES.get().ensure(ROW_TILE, cols);
            for (int rt = from; rt < to; rt++) {
                int r0 = rt * ROW_TILE;
                int r1 = Math.min(r0 + ROW_TILE, rows);
                for (int r = r0; r < r1; r++) {
                    tile.rows[r - r0].ensure(cols);
                    kernel.unpackLanes(r, tile.rows[r - r0].values, tile.rows[r - r0].scales, tile.rows[r - r0].mins);
                }
                // Token tiles inside, so each row is unpacked once and a tile's codes stay in cache across its rows.
                for (int t0 = 0; t0 < tokens; t0 += TOKEN_TILE) {
                    int t1 = Math.min(t0 + TOKEN_TILE, tokens);
                    for (int r = r0; r < r1; r++) {
                        Row row = tile.rows[r - r0];
                        int t = t0;
                        for (; t + 4 <= t1; t += 4) {
                            dot4(row, cols, q, codes, t, hasMin, out, t * rows + r, rows);
                        }
                        for (; t < t1; t++) {
                            out[t * rows + r] = dot(row, cols, q, codes, t, hasMin);
                        }
                    }
                }
            }
        });
    }

    /** The codes of {@code q} as floats in ggml's lane layout (as {@link Int8Rows#unpackLanes}; per-thread array). */
    private static float[] laneCodes(Q8Activations q, int length) {
        float[] lanes = LANE_CODES.get();
        if (lanes.length < length) {
            lanes = new float[length];
            LANE_CODES.set(lanes);
        }
        short[] codes = q.codes;
        float[] out = lanes;
        Parallel.parallelFor(length / 32, 64, (from, to) -> {
            for (int b = from * 32; b < to * 32; b += 32) {
                for (int e = 0; e < 32; e++) {
                    out[b + GgmlBlockOrder.laneSlot(e)] = codes[b + e];
                }
            }
        });
        return lanes;
    }

    /** One output: per block ggml's 8 lane sums (exact), fma by the block's scales, hsum_float_8, + summs. */
    private static float dot(Row row, int cols, Q8Activations q, float[] codes, int token, boolean hasMin) {
        FloatVector acc = FloatVector.zero(F);
        float summs = 0;
        int c = token * cols;
        int b0 = c / 32;
        float[] v = row.values;
        for (int o = 0, b = 0; o < cols; o += 32, b++) {
            FloatVector lanes = FloatVector.fromArray(F, v, o + 24).fma(FloatVector.fromArray(F, codes, c + o + 24),
                    FloatVector.fromArray(F, v, o + 16).fma(FloatVector.fromArray(F, codes, c + o + 16),
                    FloatVector.fromArray(F, v, o + 8).fma(FloatVector.fromArray(F, codes, c + o + 8),
                    FloatVector.fromArray(F, v, o).mul(FloatVector.fromArray(F, codes, c + o)))));
            acc = lanes.fma(FloatVector.broadcast(F, row.scales[b] * q.scales[b0 + b]), acc);
            if (hasMin) {
                summs = Math.fma(row.mins[b], q.sums[b0 + b], summs);
            }
        }
        return GgmlBlockOrder.hsum(acc) + summs;
    }

    /** {@link #dot} of tokens {@code token .. token + 3}, each weight vector loaded once for the four. */
    private static void dot4(Row row, int cols, Q8Activations q, float[] codes, int token, boolean hasMin,
                             float[] out, int o, int stride) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        float summs0 = 0;
        float summs1 = 0;
        float summs2 = 0;
        float summs3 = 0;
        int c0 = token * cols;
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        int blocks = cols / 32;
        int b0 = c0 / 32;
        float[] v = row.values;
        for (int i = 0, b = 0; i < cols; i += 32, b++) {
            FloatVector v0 = FloatVector.fromArray(F, v, i);
            FloatVector v1 = FloatVector.fromArray(F, v, i + 8);
            FloatVector v2 = FloatVector.fromArray(F, v, i + 16);
            FloatVector v3 = FloatVector.fromArray(F, v, i + 24);
            float d = row.scales[b];
            // Integer lane sums, exact in float: products <= 127 * 127, sums of four < 2^17.
            FloatVector l0 = v3.fma(FloatVector.fromArray(F, codes, c0 + i + 24), v2.fma(FloatVector.fromArray(F, codes, c0 + i + 16),
                    v1.fma(FloatVector.fromArray(F, codes, c0 + i + 8), v0.mul(FloatVector.fromArray(F, codes, c0 + i)))));
            FloatVector l1 = v3.fma(FloatVector.fromArray(F, codes, c1 + i + 24), v2.fma(FloatVector.fromArray(F, codes, c1 + i + 16),
                    v1.fma(FloatVector.fromArray(F, codes, c1 + i + 8), v0.mul(FloatVector.fromArray(F, codes, c1 + i)))));
            FloatVector l2 = v3.fma(FloatVector.fromArray(F, codes, c2 + i + 24), v2.fma(FloatVector.fromArray(F, codes, c2 + i + 16),
                    v1.fma(FloatVector.fromArray(F, codes, c2 + i + 8), v0.mul(FloatVector.fromArray(F, codes, c2 + i)))));
            FloatVector l3 = v3.fma(FloatVector.fromArray(F, codes, c3 + i + 24), v2.fma(FloatVector.fromArray(F, codes, c3 + i + 16),
                    v1.fma(FloatVector.fromArray(F, codes, c3 + i + 8), v0.mul(FloatVector.fromArray(F, codes, c3 + i)))));
            acc0 = l0.fma(FloatVector.broadcast(F, d * q.scales[b0 + b]), acc0);
            acc1 = l1.fma(FloatVector.broadcast(F, d * q.scales[b0 + blocks + b]), acc1);
            acc2 = l2.fma(FloatVector.broadcast(F, d * q.scales[b0 + 2 * blocks + b]), acc2);
            acc3 = l3.fma(FloatVector.broadcast(F, d * q.scales[b0 + 3 * blocks + b]), acc3);
            if (hasMin) {
                float m = row.mins[b];
                summs0 = Math.fma(m, q.sums[b0 + b], summs0);
                summs1 = Math.fma(m, q.sums[b0 + blocks + b], summs1);
                summs2 = Math.fma(m, q.sums[b0 + 2 * blocks + b], summs2);
                summs3 = Math.fma(m, q.sums[b0 + 3 * blocks + b], summs3);
            }
        }
        out[o] = GgmlBlockOrder.hsum(acc0) + summs0;
        out[o + stride] = GgmlBlockOrder.hsum(acc1) + summs1;
        out[o + 2 * stride] = GgmlBlockOrder.hsum(acc2) + summs2;
        out[o + 3 * stride] = GgmlBlockOrder.hsum(acc3) + summs3;
    }
}
