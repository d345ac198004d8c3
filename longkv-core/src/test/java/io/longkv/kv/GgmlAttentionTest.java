package io.longkv.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.attention.AttentionMath;
import io.longkv.kv.attention.GgmlAttention;
import io.longkv.kv.block.BlockPool;
import io.longkv.kv.block.KvBlock;
import io.longkv.kv.block.KvDtype;
import io.longkv.tensor.Parallel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** llama.cpp-order attention: its float orders against scalar models of ggml's, and the result against plain attention. */
class GgmlAttentionTest {
    private static final int HEADS = 6;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 64;
    private static final int KV_DIM = KV_HEADS * HEAD_DIM;

    @ParameterizedTest
    @CsvSource({"16, 37, 1", "16, 700, 1", "16, 50, 50", "7, 300, 41"})
    void matchesPlainAttention(int blockTokens, int stored, int rows) {
        Random random = new Random(stored * 31L + rows);
        float[] keys = KvTesting.gaussian(random, stored * KV_DIM);
        float[] values = KvTesting.gaussian(random, stored * KV_DIM);
        float[] q = KvTesting.gaussian(random, rows * HEADS * HEAD_DIM);
        BlockPool pool = new BlockPool(1L << 30, blockTokens);
        KvBlock[] blocks = KvTesting.blocks(pool, KvDtype.F32, keys, values, stored, KV_HEADS, HEAD_DIM);
        float[] out = new float[rows * HEADS * HEAD_DIM];
        new GgmlAttention(HEADS, KV_HEADS, HEAD_DIM).attend(blocks, blockTokens, stored, q, rows, out);
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < HEADS; h++) {
                double[] expected = KvTesting.attend(keys, values, q, r, h, HEADS, KV_HEADS, HEAD_DIM, stored - rows + r + 1, t -> true);
                for (int i = 0; i < HEAD_DIM; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - out[(r * HEADS + h) * HEAD_DIM + i]));
                }
            }
        }
        assertTrue(worst <= 1e-5, "max abs difference " + worst);
    }

    @Test
    void decodeIsTheSameBitsOnAnyThreadCount() {
        // Three KV heads: two or four threads split the heads left over after an even share into head_dim slices.
        int heads = 9;
        int kvHeads = 3;
        int stored = 300;
        Random random = new Random(8);
        float[] keys = KvTesting.gaussian(random, stored * kvHeads * HEAD_DIM);
        float[] values = KvTesting.gaussian(random, stored * kvHeads * HEAD_DIM);
        float[] q = KvTesting.gaussian(random, heads * HEAD_DIM);
        KvBlock[] blocks = KvTesting.blocks(new BlockPool(1L << 30, 64), KvDtype.F32, keys, values, stored, kvHeads, HEAD_DIM);
        int saved = Parallel.threads();
        float[][] outs = new float[4][heads * HEAD_DIM];
        try {
            for (int threads = 1; threads <= 4; threads++) {
                Parallel.setThreads(threads);
                new GgmlAttention(heads, kvHeads, HEAD_DIM).attend(blocks, 64, stored, q, 1, outs[threads - 1]);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        for (int t = 1; t < 4; t++) {
            assertArrayEquals(outs[0], outs[t], (t + 1) + " threads against 1");
        }
    }

    /** ggml_vec_dot_f32 (AVX2) as its C code runs, one lane at a time. */
    static float vecDotF32(float[] x, float[] y, int n) {
        float[][] acc = new float[4][8];
        int np = n & ~31;
        for (int i = 0; i < np; i += 32) {
            for (int a = 0; a < 4; a++) {
                for (int l = 0; l < 8; l++) {
                    acc[a][l] = Math.fma(x[i + 8 * a + l], y[i + 8 * a + l], acc[a][l]);
                }
            }
        }
        float sum = reduce32(acc);
        for (int i = np; i < n; i++) {
            sum = Math.fma(x[i], y[i], sum);
        }
        return sum;
    }

    /** GGML_F32x8_REDUCE of four 8-lane accumulators. */
    static float reduce32(float[][] acc) {
        float[] v = new float[8];
        for (int l = 0; l < 8; l++) {
            v[l] = (acc[0][l] + acc[2][l]) + (acc[1][l] + acc[3][l]);
        }
        float[] t = {v[0] + v[4], v[1] + v[5], v[2] + v[6], v[3] + v[7]};
        return (t[0] + t[1]) + (t[2] + t[3]);
    }

    /** hsum_float_8. */
    static float hsum8(float[] l) {
        return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
    }

    @Test
    void dotIsVecDotF32BitForBit() {
        Random random = new Random(5);
        for (int n : new int[] {64, 80, 128, 7}) {
            for (int trial = 0; trial < 50; trial++) {
                float[] x = KvTesting.gaussian(random, n);
                float[] y = KvTesting.gaussian(random, n);
                assertEquals(vecDotF32(x, y, n), AttentionMath.ggmlDot(x, 0, y, 0, n), "n " + n);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"64, 3, 37", "64, 1, 8", "32, 5, 23", "96, 2, 17", "80, 3, 19", "128, 3, 16", "160, 2, 9"})
    void scoresAreVecDotF32BitForBit(int headDim, int rows, int count) {
        // Eight keys at a time regroup ggml's reduction across keys; the leftover keys go one by one.
        Random random = new Random(headDim * 131L + rows * 7L + count);
        float[] keys = KvTesting.gaussian(random, (count + 2) * headDim);
        float[] q = KvTesting.gaussian(random, (rows + 1) * headDim);
        int stride = count + 5;
        float[] scores = new float[3 + rows * stride];
        AttentionMath.ggmlScores(keys, 2 * headDim, count, headDim, q, headDim, rows, scores, 3, stride);
        for (int r = 0; r < rows; r++) {
            float[] x = Arrays.copyOfRange(q, (r + 1) * headDim, (r + 2) * headDim);
            for (int t = 0; t < count; t++) {
                float[] y = Arrays.copyOfRange(keys, (t + 2) * headDim, (t + 3) * headDim);
                assertEquals(vecDotF32(x, y, headDim), scores[3 + r * stride + t], "row " + r + " key " + t);
            }
        }
    }

    @Test
    void valueLanesAreTinyBlasAndVecDotOrdersBitForBit() {
        Random random = new Random(6);
        int count = 77;
        float[] values = KvTesting.gaussian(random, count * HEAD_DIM);
        float[] p = KvTesting.gaussian(random, count);
        for (int lanes : new int[] {8, 32}) {
            float[] partial = new float[lanes * HEAD_DIM];
            // Two runs, the second starting mid-lane, as blocks split a row of values.
            AttentionMath.ggmlValueLanes(values, 0, 30, HEAD_DIM, p, 0, 0, lanes, partial);
            AttentionMath.ggmlValueLanes(values, 30 * HEAD_DIM, count - 30, HEAD_DIM, p, 30, 30 % lanes, lanes, partial);
            float[] out = new float[HEAD_DIM];
            AttentionMath.ggmlLaneSum(partial, 0, lanes, HEAD_DIM, out, 0);
            for (int i = 0; i < HEAD_DIM; i++) {
                float[] column = new float[count];
                for (int t = 0; t < count; t++) {
                    column[t] = values[t * HEAD_DIM + i];
                }
                float expected;
                if (lanes == 32) {
                    float[] padded = new float[96]; // ggml's padded row: zeros past the visible values
                    float[] pp = new float[96];
                    System.arraycopy(column, 0, padded, 0, count);
                    System.arraycopy(p, 0, pp, 0, count);
                    expected = vecDotF32(padded, pp, 96);
                } else {
                    float[] acc = new float[8]; // tinyBLAS: one 8-lane accumulator, then hsum
                    for (int t = 0; t < count; t++) {
                        acc[t % 8] = Math.fma(column[t], p[t], acc[t % 8]);
                    }
                    expected = hsum8(acc);
                }
                assertEquals(expected, out[i], lanes + " lanes, dim " + i);
            }
        }
    }

    @Test
    void softmaxSumsPerEightInDouble() {
        Random random = new Random(7);
        int n = 45;
        float[] x = KvTesting.gaussian(random, n);
        float[] y = x.clone();
        AttentionMath.ggmlSoftmax(y, 0, n, 0.125f);
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[i] * 0.125f);
        }
        float[] e = new float[48];
        double sum = 0;
        for (int i = 0; i < 48; i++) {
            e[i] = i < n ? io.longkv.tensor.GgmlExpTest.expScalar(x[i] * 0.125f - max) : 0f;
        }
        for (int g = 0; g < 48; g += 8) {
            float[] l = new float[8];
            System.arraycopy(e, g, l, 0, 8);
            sum += hsum8(l);
        }
        float inverse = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            assertEquals(e[i] * inverse, y[i], "p " + i);
        }
    }
}
