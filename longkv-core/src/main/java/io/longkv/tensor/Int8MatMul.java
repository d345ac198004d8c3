package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.S256;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

/**
 * Matrix x many-token products (prefill) on 8-bit activations, as llama.cpp computes them for the
 * {@link Int8Rows} types: the chunk's tokens are quantized once, then every output is one product in
 * ggml's order ({@link GgmlBlockOrder}), so prefill and decode give the same value for the same row and
 * token.
 *
 * <p>Per block it forms ggml's 8 integer lane sums as decode does, 16 short lanes at a time on values and
 * codes in {@link GgmlBlockOrder#GROUPED} order (two short products, then each int lane's two shorts),
 * exact, converted to float (below 2^24, so exactly). Weight rows are unpacked to shorts once
 * ({@link Int8Rows#unpackLanes}), codes laid out once per chunk ({@link Chunk}); threads take tiles of
 * ROW_TILE rows, unpacked once and run over the tokens TOKEN_TILE at a time, four tokens per pass.
 */
final class Int8MatMul {
    private static final int ROW_TILE = 16;
    private static final int TOKEN_TILE = 64;
    private static final ThreadLocal<Q8Activations> CHUNK = ThreadLocal.withInitial(() -> new Q8Activations(0));
    private static final ThreadLocal<Chunk> CODES = ThreadLocal.withInitial(Chunk::new);
    private static final ThreadLocal<Tile> TILES = ThreadLocal.withInitial(Tile::new);

    private Int8MatMul() {
    }

    /** One unpacked weight row (per-thread scratch). */
    private static final class Row {
        short[] values = new short[0];
        float[] scales = new float[0];
        float[] mins = new float[0];

        Row ensure(int cols) {
            if (values.length < cols) {
                values = new short[cols];
                scales = new float[cols / 32];
                mins = new float[cols / 32];
            }
            return this;
        }
    }

    /** ROW_TILE unpacked weight rows, and a pass's accumulator lanes (per-thread scratch). */
    private static final class Tile {
        Row[] rows = new Row[0];
        final float[] lanes = new float[36];

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

    /**
     * The chunk's codes (in {@link GgmlBlockOrder#GROUPED} order), scales and sums, interleaved by passes of
     * four tokens: slot {@code (g * blocks + b) * 4 + k} is token 4g + k's block b, its 32 codes at 32 x the
     * slot, so a pass reads one contiguous run per block from one base index. Slots of tokens past the end
     * (a partial last pass) are zero: computed, never written out. Per-thread scratch.
     */
    private static final class Chunk {
        short[] codes = new short[0];
        float[] scales = new float[0];
        float[] sums = new float[0];

        Chunk fill(Q8Activations q, int tokens, int blocks) {
            int slots = (tokens + 3) / 4 * blocks * 4;
            if (scales.length < slots) {
                codes = new short[slots * 32];
                scales = new float[slots];
                sums = new float[slots];
            }
            Parallel.parallelFor(slots, 256, (from, to) -> {
                for (int s = from; s < to; s++) {
                    int token = s / (blocks * 4) * 4 + s % 4;
                    int block = token * blocks + s / 4 % blocks;
                    boolean real = token < tokens;
                    if (real) {
                        System.arraycopy(q.grouped, block * 32, codes, s * 32, 32);
                    } else {
                        Arrays.fill(codes, s * 32, s * 32 + 32, (short) 0);
                    }
                    scales[s] = real ? q.scales[block] : 0;
                    sums[s] = real ? q.sums[block] : 0;
                }
            });
            return this;
        }
    }

    static void run(WeightMatrix w, Int8Rows kernel, float[] x, int tokens, float[] out) {
        int rows = w.rows();
        int cols = w.cols();
        int blocks = cols / 32;
        Q8Activations q = CHUNK.get();
        q.quantize(x, 0, tokens * cols);
        q.group();
        Chunk chunk = CODES.get().fill(q, tokens, blocks);
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
                        rowTimesTokens(tile.rows[r - r0], blocks, chunk, t0, t1, hasMin, tile.lanes, out, r, rows);
                    }
                }
            }
        });
    }

    /**
     * Tokens {@code t0 .. t1 - 1} (t0 a multiple of 4) times row {@code r}, into {@code out[t * rows + r]},
     * each output as decode computes it: per block ggml's 8 lane sums (exact), fma by the block's scales,
     * hsum_float_8, + summs. Four tokens per pass, each weight vector loaded once for the four.
     */
    private static void rowTimesTokens(Row row, int blocks, Chunk chunk, int t0, int t1, boolean hasMin,
                                       float[] lanes, float[] out, int r, int rows) {
        short[] v = row.values;
        short[] codes = chunk.codes;
        float[] scales = chunk.scales;
        for (int token = t0; token < t1; token += 4) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            // Each token's summs is ggml's scalar fma chain. Scalars, not a 128-bit vector: in a method this
            // large C2 at times gave up intrinsifying that vector's ops and boxed every one (prefill took twice as long).
            float summs0 = 0;
            float summs1 = 0;
            float summs2 = 0;
            float summs3 = 0;
            int s0 = token * blocks;
            for (int b = 0; b < blocks; b++) {
                int i = b * 32;
                int s = s0 + b * 4;
                int c = s * 32;
                ShortVector w0 = ShortVector.fromArray(S256, v, i);
                ShortVector w1 = ShortVector.fromArray(S256, v, i + 16);
                float d = row.scales[b];
                // Two products per short (|value * code| <= 128 * 127, so a pair fits); int lane l's two shorts
                // summed are ggml's lane l.
                IntVector p0 = w0.mul(ShortVector.fromArray(S256, codes, c)).add(w1.mul(ShortVector.fromArray(S256, codes, c + 16))).reinterpretAsInts();
                IntVector p1 = w0.mul(ShortVector.fromArray(S256, codes, c + 32)).add(w1.mul(ShortVector.fromArray(S256, codes, c + 48))).reinterpretAsInts();
                IntVector p2 = w0.mul(ShortVector.fromArray(S256, codes, c + 64)).add(w1.mul(ShortVector.fromArray(S256, codes, c + 80))).reinterpretAsInts();
                IntVector p3 = w0.mul(ShortVector.fromArray(S256, codes, c + 96)).add(w1.mul(ShortVector.fromArray(S256, codes, c + 112))).reinterpretAsInts();
                acc0 = ((FloatVector) p0.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p0.lanewise(ASHR, 16)).convert(I2F, 0))
                        .fma(FloatVector.broadcast(F, d * scales[s]), acc0);
                acc1 = ((FloatVector) p1.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p1.lanewise(ASHR, 16)).convert(I2F, 0))
                        .fma(FloatVector.broadcast(F, d * scales[s + 1]), acc1);
                acc2 = ((FloatVector) p2.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p2.lanewise(ASHR, 16)).convert(I2F, 0))
                        .fma(FloatVector.broadcast(F, d * scales[s + 2]), acc2);
                acc3 = ((FloatVector) p3.lanewise(LSHL, 16).lanewise(ASHR, 16).add(p3.lanewise(ASHR, 16)).convert(I2F, 0))
                        .fma(FloatVector.broadcast(F, d * scales[s + 3]), acc3);
                if (hasMin) {
                    float m = row.mins[b];
                    summs0 = Math.fma(chunk.sums[s], m, summs0);
                    summs1 = Math.fma(chunk.sums[s + 1], m, summs1);
                    summs2 = Math.fma(chunk.sums[s + 2], m, summs2);
                    summs3 = Math.fma(chunk.sums[s + 3], m, summs3);
                }
            }
            // Through an array: C2 does not inline hsum(FloatVector) into a method this large, and a vector
            // passed to a call that is not inlined is boxed (that cost a third of the time on 576 columns).
            acc0.intoArray(lanes, 0);
            acc1.intoArray(lanes, 8);
            acc2.intoArray(lanes, 16);
            acc3.intoArray(lanes, 24);
            lanes[32] = summs0;
            lanes[33] = summs1;
            lanes[34] = summs2;
            lanes[35] = summs3;
            for (int k = 0; k < 4 && token + k < t1; k++) {
                out[(token + k) * rows + r] = GgmlBlockOrder.hsum(lanes, 8 * k) + lanes[32 + k];
            }
        }
    }
}
