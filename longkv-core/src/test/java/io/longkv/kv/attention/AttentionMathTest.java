package io.longkv.kv.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttentionMathTest {
    private static final int HEAD_DIM = 64;

    @ParameterizedTest
    @CsvSource({
            "16, 0, 16, 3", // a whole tile, one GQA group of three
            "16, 0, 5, 1", // a partial tile, one row
            "16, 3, 13, 2", // starting inside the first vector
            "32, 9, 30, 7", // two tiles, rows in passes of three and a one-row pass
            "48, 16, 48, 4"})
    void transposedScoresAreDotProductsOfTheSlotsAsked(int width, int from, int to, int rows) {
        Random random = new Random(width * 31L + from * 7L + rows);
        float[] keys = new float[width * HEAD_DIM];
        float[] keysT = new float[HEAD_DIM * width];
        for (int t = 0; t < width; t++) {
            for (int d = 0; d < HEAD_DIM; d++) {
                keys[t * HEAD_DIM + d] = (float) random.nextGaussian();
                keysT[d * width + t] = keys[t * HEAD_DIM + d];
            }
        }
        float[] q = new float[rows * HEAD_DIM];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) random.nextGaussian();
        }
        int stride = to - from + 3;
        float[] scores = new float[rows * stride];
        Arrays.fill(scores, Float.NaN);
        AttentionMath.transposedScores(keysT, width, from, to, HEAD_DIM, q, rows, scores, stride);
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < stride; t++) {
                float got = scores[r * stride + t];
                if (t < to - from) {
                    double expected = 0;
                    for (int d = 0; d < HEAD_DIM; d++) {
                        expected += (double) q[r * HEAD_DIM + d] * keys[(from + t) * HEAD_DIM + d];
                    }
                    assertEquals(expected, got, 1e-4, "row " + r + ", slot " + (from + t));
                } else {
                    assertEquals(Float.NaN, got, "row " + r + ": slot " + (from + t) + " is past the run and must stay untouched");
                }
            }
        }
    }
}
