package io.longkv.tensor;

/**
 * Matrix x many-token products (prefill) on 8-bit activations, as llama.cpp computes them for the
 * {@link Int8Rows} types: the chunk's tokens are quantized once, then every output is one product in
 * ggml's order, so prefill and decode give the same value for the same row and token. Work is split
 * into tiles of ROW_TILE rows x TOKEN_TILE tokens, four tokens per weight pass ({@link Int8Rows#dot4}).
 */
final class Int8MatMul {
    private static final int ROW_TILE = 16;
    private static final int TOKEN_TILE = 64;
    private static final ThreadLocal<Q8Activations> CHUNK = ThreadLocal.withInitial(() -> new Q8Activations(0));

    private Int8MatMul() {
    }

    static void run(WeightMatrix w, Int8Rows kernel, float[] x, int tokens, float[] out) {
        int rows = w.rows();
        int cols = w.cols();
        Q8Activations q = CHUNK.get();
        q.quantize(x, 0, tokens * cols);
        int rowTiles = (rows + ROW_TILE - 1) / ROW_TILE;
        int tokenTiles = (tokens + TOKEN_TILE - 1) / TOKEN_TILE;
        Parallel.parallelFor(rowTiles * tokenTiles, (from, to) -> {
            for (int tile = from; tile < to; tile++) {
                int r0 = (tile / tokenTiles) * ROW_TILE;
                int r1 = Math.min(r0 + ROW_TILE, rows);
                int t0 = (tile % tokenTiles) * TOKEN_TILE;
                int t1 = Math.min(t0 + TOKEN_TILE, tokens);
                int t = t0;
                for (; t + 4 <= t1; t += 4) {
                    for (int r = r0; r < r1; r++) {
                        kernel.dot4(r, q, t, out, t * rows + r, rows);
                    }
                }
                for (; t < t1; t++) {
                    for (int r = r0; r < r1; r++) {
                        out[t * rows + r] = kernel.dot(r, q, t);
                    }
                }
            }
        });
    }
}
