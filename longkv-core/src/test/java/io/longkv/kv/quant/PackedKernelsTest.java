package io.longkv.kv.quant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.KvTesting;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernels on packed codes against dequantize-then-compute in double precision. */
class PackedKernelsTest {
    private static final int HEAD_DIM = 64;

    @ParameterizedTest
    @CsvSource({"1, 32, 1", "2, 32, 3", "4, 32, 4", "2, 64, 5", "2, 8, 9", "4, 16, 2", "2, 24, 3"})
    void keyScoresEqualDotProductsWithDequantizedKeys(int bits, int groupTokens, int rows) {
        Random random = new Random(bits * 100 + rows);
        int groups = 3;
        int groupInts = PackedKernels.keyGroupInts(groupTokens, HEAD_DIM, bits);
        int[] codes = new int[1 + groups * groupInts];
        short[] params = new short[2 + groups * 2 * HEAD_DIM];
        float[][] dequantized = new float[groups * groupTokens][HEAD_DIM];
        float[] keys = new float[groupTokens * HEAD_DIM];
        int[] scratch = new int[groupTokens];
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = (float) random.nextGaussian() * (1 + i % HEAD_DIM) / 8;
            }
            short[] pair = new short[2];
            for (int c = 0; c < HEAD_DIM; c++) {
                Quantizer.quantize(keys, c, HEAD_DIM, groupTokens, bits, pair, 0, scratch);
                params[2 + g * 2 * HEAD_DIM + c] = pair[0];
                params[2 + g * 2 * HEAD_DIM + HEAD_DIM + c] = pair[1];
                for (int t = 0; t < groupTokens; t++) {
                    Quantizer.setCode(codes, 1 + g * groupInts, PackedKernels.keyElement(t, c, HEAD_DIM), bits, scratch[t]);
                    dequantized[g * groupTokens + t][c] = Quantizer.dequantize(scratch[t], pair, 0);
                }
            }
        }
        float[] q = KvTesting.gaussian(random, rows * HEAD_DIM);
        int stride = groups * groupTokens + 5;
        float[] scores = new float[rows * stride];
        PackedKernels.keyScores(codes, 1, params, 2, groups, groupTokens, HEAD_DIM, bits, q, rows, scores, stride);
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < groups * groupTokens; t++) {
                double expected = 0;
                double magnitude = 0;
                for (int c = 0; c < HEAD_DIM; c++) {
                    expected += (double) q[r * HEAD_DIM + c] * dequantized[t][c];
                    magnitude += Math.abs((double) q[r * HEAD_DIM + c] * dequantized[t][c]);
                }
                double error = Math.abs(expected - scores[r * stride + t]);
                assertTrue(error <= 1e-5 * magnitude + 1e-6, "row " + r + " token " + t + ": " + scores[r * stride + t] + " vs " + expected);
            }
        }
    }

    @ParameterizedTest
    // Head sizes of 40 and 24 give an odd number of 8-channel chunks: the kernel's lone last chunk.
    @CsvSource({"1, 32, 1, 64", "2, 32, 3, 64", "4, 32, 4, 64", "2, 64, 6, 64", "2, 8, 2, 64", "4, 16, 9, 64",
            "2, 8, 3, 40", "4, 8, 2, 24"})
    void valueAccumulationEqualsWeightedSumOfDequantizedValues(int bits, int groupSize, int rows, int headDim) {
        Random random = new Random(bits * 31 + rows);
        int count = 37;
        int tokenInts = Quantizer.ints(headDim, bits);
        int tokenParams = 2 * headDim / groupSize;
        int[] codes = new int[3 + count * tokenInts];
        short[] params = new short[4 + count * tokenParams];
        float[][] dequantized = new float[count][headDim];
        int[] scratch = new int[groupSize];
        for (int t = 0; t < count; t++) {
            float[] v = KvTesting.gaussian(random, headDim);
            for (int j = 0; j < headDim / groupSize; j++) {
                int p = 4 + t * tokenParams + 2 * j;
                Quantizer.quantize(v, j * groupSize, 1, groupSize, bits, params, p, scratch);
                for (int c = 0; c < groupSize; c++) {
                    Quantizer.setCode(codes, 3 + t * tokenInts, j * groupSize + c, bits, scratch[c]);
                    dequantized[t][j * groupSize + c] = Quantizer.dequantize(scratch[c], params, p);
                }
            }
        }
        int stride = count + 11;
        int pOffset = 4;
        float[] p = new float[rows * stride];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextFloat();
        }
        float[] acc = KvTesting.gaussian(random, rows * headDim);
        float[] start = acc.clone();
        PackedKernels.valueAccumulate(codes, 3, params, 4, count, headDim, groupSize, bits, p, pOffset, stride, rows, acc);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < headDim; i++) {
                double expected = start[r * headDim + i];
                double magnitude = Math.abs(expected);
                for (int t = 0; t < count; t++) {
                    expected += (double) p[r * stride + pOffset + t] * dequantized[t][i];
                    magnitude += Math.abs((double) p[r * stride + pOffset + t] * dequantized[t][i]);
                }
                double error = Math.abs(expected - acc[r * headDim + i]);
                assertTrue(error <= 1e-5 * magnitude + 1e-6, "row " + r + " channel " + i + ": " + acc[r * headDim + i] + " vs " + expected);
            }
        }
    }
}
