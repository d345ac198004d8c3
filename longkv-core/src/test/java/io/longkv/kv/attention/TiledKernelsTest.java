package io.longkv.kv.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TiledKernelsTest {
    @ParameterizedTest
    @CsvSource({
            "64, 64, 0, 64, 3", // a whole block, one GQA group of three: the triple kernel
            "64, 64, 0, 5, 1", // a partial tile, one row
            "64, 64, 3, 45, 2", // starting inside the first vector, ending inside the third tile: a pair
            "64, 96, 9, 90, 7", // an odd number of slots: a quad, then a triple
            "40, 64, 16, 64, 4", // head size not a multiple of the tile: a narrow last value tile; a quad
            "64, 64, 1, 64, 6", // a quad and a pair over an odd number of slots
            "64, 48, 0, 33, 5", // a quad and a single row over an odd number of slots
            "7, 32, 0, 17, 3", // odd head size: the triple's odd last dim
            "9, 32, 2, 31, 6"}) // odd head size and slot count: the pair's odd last dim and slot
    void scoresAndWeightedSumsMatchPlainLoops(int headDim, int width, int from, int to, int rows) {
        Random random = new Random(headDim * 131L + width * 31L + from * 7L + rows);
        float[][] k = gaussian(random, width, headDim);
        float[][] v = gaussian(random, width, headDim);
        float[] keys = new float[width * headDim];
        float[] values = new float[width * headDim];
        for (int t = 0; t < width; t++) {
            for (int d = 0; d < headDim; d++) {
                keys[TiledKernels.keyIndex(t, d, headDim)] = k[t][d];
                values[TiledKernels.valueIndex(t, d, headDim, width)] = v[t][d];
            }
        }
        float[] q = gaussian(random, 1, rows * headDim)[0];
        int stride = to - from + 3;
        float[] scores = new float[rows * stride];
        Arrays.fill(scores, Float.NaN);
        TiledKernels.scores(keys, 0, from, to, headDim, q, rows, scores, stride);
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < stride; t++) {
                float got = scores[r * stride + t];
                if (t < to - from) {
                    double expected = 0;
                    for (int d = 0; d < headDim; d++) {
                        expected += (double) q[r * headDim + d] * k[from + t][d];
                    }
                    assertEquals(expected, got, 1e-4, "score of row " + r + ", slot " + (from + t));
                } else {
                    assertEquals(Float.NaN, got, "row " + r + ": slot " + (from + t) + " is past the run and must stay untouched");
                }
            }
        }

        float[] p = gaussian(random, 1, rows * stride)[0];
        float[] start = gaussian(random, 1, rows * headDim)[0];
        float[] acc = start.clone();
        TiledKernels.accumulate(values, 0, width, from, to, headDim, p, stride, rows, acc);
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < headDim; d++) {
                double expected = start[r * headDim + d];
                for (int t = from; t < to; t++) {
                    expected += (double) p[r * stride + t - from] * v[t][d];
                }
                assertEquals(expected, acc[r * headDim + d], 1e-4, "weighted sum of row " + r + ", dim " + d);
            }
        }
    }

    private static float[][] gaussian(Random random, int n, int m) {
        float[][] x = new float[n][m];
        for (float[] row : x) {
            for (int i = 0; i < m; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return x;
    }
}
