package io.longkv.kv.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopKTest {
    /** The k best positions by a full sort: larger score first, then the earlier position; returned ascending. */
    static int[] reference(float[] scores, int from, int n, int k) {
        return IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[from + i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    @ParameterizedTest
    @CsvSource({
        "8128, 128, gaussian", // TailorKV's shape: the sampled cut
        "8128, 128, ties",     // few distinct values: ties at the threshold, broken by position
        "8128, 128, sorted",   // ascending: the strided sample sees the trend
        "8128, 128, spike",    // all equal but a handful: the cut keeps everything equal to it
        "4096, 1, gaussian",
        "1024, 64, gaussian",
        "500, 63, gaussian",   // below the sampling size: whole quickselect
        "3000, 2000, gaussian",
        "17, 17, ties"})
    void indicesAreTheKLargestTiesByPosition(int n, int k, String shape) {
        Random random = new Random(n * 31L + k);
        int from = 5;
        for (int round = 0; round < 20; round++) {
            float[] scores = new float[from + n];
            for (int i = 0; i < n; i++) {
                scores[from + i] = switch (shape) {
                    case "ties" -> random.nextInt(7);
                    case "sorted" -> i;
                    case "spike" -> i % 1000 == 999 ? 1 : 0;
                    default -> (float) random.nextGaussian();
                };
            }
            float[] tmp = new float[n];
            int[] out = new int[n];
            int count = TopK.indices(scores, from, n, k, tmp, out);
            int[] expected = reference(scores, from, n, k);
            assertEquals(k, count);
            assertArrayEquals(expected, Arrays.copyOf(out, count), shape + " round " + round);
            float kth = scores[from + expected[0]];
            for (int i : expected) {
                kth = Math.min(kth, scores[from + i]);
            }
            assertEquals(kth, TopK.threshold(scores, from, n, k, tmp));
        }
    }
}
