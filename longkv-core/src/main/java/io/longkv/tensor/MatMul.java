package io.longkv.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix x many-token products (prefill). Work is split into tiles of ROW_TILE rows x TOKEN_TILE
 * tokens: a tile dequantizes its rows once into a per-thread buffer and reuses them for every token
 * of the tile, four tokens at a time so each weight vector loaded feeds four FMAs.
 */
final class MatMul {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int ROW_TILE = 16;
    private static final int TOKEN_TILE = 64;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private MatMul() {
    }

    static void run(WeightMatrix w, float[] x, int tokens, float[] out) {
        int rows = w.rows();
        int cols = w.cols();
        int rowTiles = (rows + ROW_TILE - 1) / ROW_TILE;
        int tokenTiles = (tokens + TOKEN_TILE - 1) / TOKEN_TILE;
        Parallel.parallelFor(rowTiles * tokenTiles, (from, to) -> {
            float[] tile = scratch(ROW_TILE * cols);
            int loaded = -1;
            for (int t = from; t < to; t++) {
                // Row-tile major order: consecutive tiles of a chunk reuse the rows already dequantized.
                int rowTile = t / tokenTiles;
                int r0 = rowTile * ROW_TILE;
                int r1 = Math.min(r0 + ROW_TILE, rows);
                if (rowTile != loaded) {
                    for (int r = r0; r < r1; r++) {
                        w.dequantizeRow(r, tile, (r - r0) * cols);
                    }
                    loaded = rowTile;
                }
                int t0 = (t % tokenTiles) * TOKEN_TILE;
                tile(tile, r1 - r0, cols, x, t0, Math.min(t0 + TOKEN_TILE, tokens), out, r0, rows);
            }
        });
    }

    private static float[] scratch(int size) {
        float[] buffer = SCRATCH.get();
        if (buffer.length < size) {
            buffer = new float[size];
            SCRATCH.set(buffer);
        }
        return buffer;
    }

    /** out[t * rows + r0 + r] for the tile's rows r and tokens t0 <= t < t1. */
    private static void tile(float[] w, int tileRows, int cols, float[] x, int t0, int t1, float[] out, int r0, int rows) {
        int t = t0;
        for (; t + 4 <= t1; t += 4) {
            for (int r = 0; r < tileRows; r++) {
                dot4(w, r * cols, x, t * cols, cols, out, t * rows + r0 + r, rows);
            }
        }
        for (; t < t1; t++) {
            for (int r = 0; r < tileRows; r++) {
                out[t * rows + r0 + r] = VectorMath.dot(w, r * cols, x, t * cols, cols);
            }
        }
    }

    /** Dots of one weight row with four consecutive token rows of x, written {@code outStride} apart. */
    private static void dot4(float[] w, int wOff, float[] x, int xOff, int n, float[] out, int outOff, int outStride) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int x1 = xOff + n;
        int x2 = x1 + n;
        int x3 = x2 + n;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector wv = FloatVector.fromArray(F, w, wOff + i);
            a0 = wv.fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = wv.fma(FloatVector.fromArray(F, x, x1 + i), a1);
            a2 = wv.fma(FloatVector.fromArray(F, x, x2 + i), a2);
            a3 = wv.fma(FloatVector.fromArray(F, x, x3 + i), a3);
        }
        float s0 = VectorMath.hsum(a0);
        float s1 = VectorMath.hsum(a1);
        float s2 = VectorMath.hsum(a2);
        float s3 = VectorMath.hsum(a3);
        for (; i < n; i++) {
            float wi = w[wOff + i];
            s0 += wi * x[xOff + i];
            s1 += wi * x[x1 + i];
            s2 += wi * x[x2 + i];
            s3 += wi * x[x3 + i];
        }
        out[outOff] = s0;
        out[outOff + outStride] = s1;
        out[outOff + 2 * outStride] = s2;
        out[outOff + 3 * outStride] = s3;
    }
}
