package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every weight type against gguf-py's dequantization. Products must agree with a double-precision
 * reference over the dequantized values within {@link #TOLERANCE} of the sum of |w * x| (float
 * accumulation in a different order, and fused multiply-adds in the kernels, account for that).
 */
class WeightMatrixTest {
    static final double TOLERANCE = 1e-5;
    private static int savedThreads;

    @BeforeAll
    static void useSeveralThreads() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(3); // more than one worker even on small machines
    }

    @AfterAll
    static void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    static List<Fixtures> fixtures() {
        return Fixtures.all();
    }

    @Test
    void fixturesCoverEveryType() {
        assertEquals(List.of("F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"),
                fixtures().stream().map(f -> f.type().name()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void dequantizeRowMatchesReferenceBitForBit(Fixtures f) {
        try (Arena arena = Arena.ofShared()) {
            float[] expected = new float[f.rows() * f.cols()];
            WeightMatrix m = f.tiled(arena, f.rows(), expected);
            assertEquals(f.type(), m.type());
            float[] out = new float[f.cols() + 3];
            for (int r = 0; r < f.rows(); r++) {
                m.dequantizeRow(r, out, 3);
                for (int c = 0; c < f.cols(); c++) {
                    float want = expected[r * f.cols() + c];
                    String where = f.type() + " row " + r + " col " + c + ": want " + want;
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[3 + c]), where);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void dotMatchesDequantizedDot(Fixtures f) {
        try (Arena arena = Arena.ofShared()) {
            float[] w = new float[f.rows() * f.cols()];
            WeightMatrix m = f.tiled(arena, f.rows(), w);
            int xOffset = 5;
            float[] x = randomVector(new Random(1), xOffset + f.cols());
            for (int r = 0; r < f.rows(); r++) {
                assertClose(w, r, f.cols(), x, xOffset, m.dot(r, x, xOffset), f + " row " + r);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matVecMatchesReferenceOnManyRows(Fixtures f) {
        int rows = 67; // not a multiple of the chunk grain: ragged last chunk
        try (Arena arena = Arena.ofShared()) {
            float[] w = new float[rows * f.cols()];
            WeightMatrix m = f.tiled(arena, rows, w);
            float[] x = randomVector(new Random(2), f.cols());
            for (boolean int8 : new boolean[] {true, false}) {
                WeightMatrix.setInt8Activations(int8);
                float[] out = new float[rows + 2];
                m.matVec(x, out, 2);
                for (int r = 0; r < rows; r++) {
                    assertMatVecRow(m, w, r * f.cols(), r, x, out[2 + r], f + (int8 ? " q8" : " f32") + " row " + r);
                }
            }
        } finally {
            WeightMatrix.setInt8Activations(true);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matMulMatchesReference(Fixtures f) {
        // 70: two token tiles, the second ending in a partial pass of four; 3: one partial pass only.
        for (int tokens : new int[] {70, 3}) {
            matMulMatchesReference(f, tokens);
        }
    }

    private static void matMulMatchesReference(Fixtures f, int tokens) {
        int rows = 35;
        try (Arena arena = Arena.ofShared()) {
            float[] w = new float[rows * f.cols()];
            WeightMatrix m = f.tiled(arena, rows, w);
            float[] x = randomVector(new Random(3), tokens * f.cols());
            float[] out = new float[tokens * rows];
            for (boolean int8 : new boolean[] {true, false}) {
                WeightMatrix.setInt8Activations(int8);
                m.matMul(x, tokens, out);
                float[] token = new float[f.cols()];
                float[] matVec = new float[rows];
                for (int t = 0; t < tokens; t++) {
                    System.arraycopy(x, t * f.cols(), token, 0, f.cols());
                    if (int8 && m instanceof Int8Rows) {
                        // Prefill runs on 8-bit activations too: every output is the decode product, bit for bit.
                        m.matVec(token, matVec, 0);
                        for (int r = 0; r < rows; r++) {
                            assertEquals(matVec[r], out[t * rows + r], f + " token " + t + " row " + r + ": matMul is matVec");
                            assertMatVecRow(m, w, r * f.cols(), r, token, out[t * rows + r], f + " token " + t + " row " + r);
                        }
                        continue;
                    }
                    for (int r = 0; r < rows; r++) {
                        assertClose(w, r, f.cols(), x, t * f.cols(), out[t * rows + r], f + " token " + t + " row " + r);
                    }
                }
            }
            WeightMatrix.setInt8Activations(true);
            float[] single = new float[rows];
            m.matMul(x, 1, single);
            for (int r = 0; r < rows; r++) {
                assertMatVecRow(m, w, r * f.cols(), r, x, single[r], f + " single token row " + r);
            }
        }
    }

    @Test
    void unsupportedTypeIsNamed() {
        MemorySegment data = MemorySegment.ofArray(new byte[1024]);
        var e = assertThrows(IllegalArgumentException.class, () -> WeightMatrix.of(GgmlType.Q2_K, data, 1, 256));
        assertTrue(e.getMessage().contains("Q2_K"), e.getMessage());
    }

    @Test
    void shapeIsChecked() {
        MemorySegment data = MemorySegment.ofArray(new byte[2 * 20]);
        assertThrows(IllegalArgumentException.class, () -> WeightMatrix.of(GgmlType.Q4_1, data, 1, 48));
        assertThrows(IllegalArgumentException.class, () -> WeightMatrix.of(GgmlType.Q4_1, data, 3, 32));
        WeightMatrix m = WeightMatrix.of(GgmlType.Q4_1, data, 2, 32);
        assertEquals(40, m.byteSize());
        assertThrows(IndexOutOfBoundsException.class, () -> m.dot(2, new float[32], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.dot(0, new float[32], 1));
        assertThrows(IndexOutOfBoundsException.class, () -> m.matVec(new float[32], new float[2], 1));
    }

    static float[] randomVector(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /**
     * Asserts {@code actual} is what matVec must give for row {@code r}: the row's {@code dot} with x,
     * or for {@link Int8Dot} types its int8 dot with x quantized, which must match the double product
     * with the quantized values. Besides float rounding, that product differs from the kernel's by the
     * f16 rounding of each block's code sum (llama.cpp's s), at most 2^-10 of |min| * sum|x'| per
     * block, and the block's min is bounded by its largest |w|.
     */
    static void assertMatVecRow(WeightMatrix m, float[] w, int wOffset, int r, float[] x, float actual, String what) {
        int n = m.cols();
        if (!(WeightMatrix.int8Activations() && m instanceof Int8Dot int8)) {
            assertEquals(m.dot(r, x, 0), actual, what + ": matVec is dot(row)");
            assertClose(Arrays.copyOfRange(w, wOffset, wOffset + n), 0, n, x, 0, actual, what);
            return;
        }
        Q8Activations q = Q8Activations.of(x, 0, n);
        // Up to the lane-reduction order, which differs between the interpreter and compiled code.
        assertEquals(int8.dot(r, q), actual, 1e-5 * (1 + Math.abs(actual)), what + ": matVec is the int8 dot");
        double sum = 0;
        double bound = 0;
        for (int b = 0; b < n; b += Q8Activations.BLOCK) {
            double maxWeight = 0;
            double blockX = 0;
            for (int c = b; c < b + Q8Activations.BLOCK; c++) {
                double p = (double) w[wOffset + c] * q.value(c);
                sum += p;
                bound += TOLERANCE * Math.abs(p);
                maxWeight = Math.max(maxWeight, Math.abs(w[wOffset + c]));
                blockX += Math.abs(q.value(c));
            }
            bound += 0x1p-10 * maxWeight * blockX;
        }
        double error = Math.abs(actual - sum);
        assertTrue(error <= bound, what + ": got " + actual + ", want " + sum + " (error " + error + " > " + bound + ")");
    }

    /** Asserts {@code actual} is the dot of row {@code r} of w (rows of n) with x[xOffset...]. */
    static void assertClose(float[] w, int r, int n, float[] x, int xOffset, float actual, String what) {
        double sum = 0;
        double magnitude = 0;
        for (int c = 0; c < n; c++) {
            double p = (double) w[r * n + c] * x[xOffset + c];
            sum += p;
            magnitude += Math.abs(p);
        }
        double error = Math.abs(actual - sum);
        assertTrue(error <= TOLERANCE * magnitude, what + ": got " + actual + ", want " + sum + " (error " + error
                + " > " + TOLERANCE + " * " + magnitude + ")");
    }
}
