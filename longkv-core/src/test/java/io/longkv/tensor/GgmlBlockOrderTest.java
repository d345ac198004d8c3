package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The int8 kernels (decode and prefill) against a scalar model of ggml's AVX2 block order (maddubs/madd lanes, fma per block, hsum_float_8). */
class GgmlBlockOrderTest {
    private static final int ROWS = 5;
    private static final int COLS = 160;
    private static final int TOKENS = 7;

    @Test
    void q4_1MatchesGgmlOrderBitForBit() {
        check(GgmlType.Q4_1, 20);
    }

    @Test
    void q8_0MatchesGgmlOrderBitForBit() {
        check(GgmlType.Q8_0, 34);
    }

    private static void check(GgmlType type, int blockBytes) {
        Random random = new Random(type.ordinal());
        ByteBuffer bytes = ByteBuffer.allocate(ROWS * COLS / 32 * blockBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < ROWS * COLS / 32; b++) {
            bytes.putShort(Float.floatToFloat16((float) (random.nextDouble() * 0.02 + 1e-4)));
            if (type == GgmlType.Q4_1) {
                bytes.putShort(Float.floatToFloat16((float) (-random.nextDouble() * 0.1)));
                for (int j = 0; j < 16; j++) {
                    bytes.put((byte) random.nextInt(256));
                }
            } else {
                for (int j = 0; j < 32; j++) {
                    bytes.put((byte) (random.nextInt(255) - 127));
                }
            }
        }
        byte[] data = bytes.array();
        Int8Rows m = (Int8Rows) WeightMatrix.of(type, MemorySegment.ofArray(data), ROWS, COLS);
        float[] x = WeightMatrixTest.randomVector(random, TOKENS * COLS);
        Q8Activations q = Q8Activations.of(x, 0, TOKENS * COLS);
        float[] prefill = new float[TOKENS * ROWS];
        ((WeightMatrix) m).matMul(x, TOKENS, prefill);
        // Decode's matVec runs rows in pairs over the interleaved copy (ROWS is odd: the last row is alone).
        float[] decode = new float[ROWS];
        ((WeightMatrix) m).matVec(Arrays.copyOf(x, COLS), decode, 0);
        for (int r = 0; r < ROWS; r++) {
            assertEquals(ggml(type, data, blockBytes, r, q, 0), decode[r], type + " matVec row " + r);
        }
        for (int t = 0; t < TOKENS; t++) {
            for (int r = 0; r < ROWS; r++) {
                float want = ggml(type, data, blockBytes, r, q, t);
                assertEquals(want, m.dot(r, q, t), type + " row " + r + " token " + t);
                assertEquals(want, prefill[t * ROWS + r], type + " prefill row " + r + " token " + t);
            }
        }
    }

    /** ggml_vec_dot_q4_1_q8_1 / ggml_vec_dot_q8_0_q8_0 (AVX2), one lane at a time. */
    private static float ggml(GgmlType type, byte[] data, int blockBytes, int row, Q8Activations x, int token) {
        float[] acc = new float[8];
        float summs = 0;
        int blocks = COLS / 32;
        for (int b = 0; b < blocks; b++) {
            int o = (row * blocks + b) * blockBytes;
            float d = Float.float16ToFloat((short) ((data[o] & 0xFF) | data[o + 1] << 8));
            int[] w = new int[32];
            if (type == GgmlType.Q4_1) {
                for (int j = 0; j < 16; j++) {
                    w[j] = data[o + 4 + j] & 0x0F;
                    w[j + 16] = (data[o + 4 + j] & 0xFF) >> 4;
                }
                float m = Float.float16ToFloat((short) ((data[o + 2] & 0xFF) | data[o + 3] << 8));
                summs = Math.fma(m, x.sums[token * blocks + b], summs);
            } else {
                for (int j = 0; j < 32; j++) {
                    w[j] = data[o + 2 + j];
                }
            }
            float scale = d * x.scales[token * blocks + b];
            for (int l = 0; l < 8; l++) {
                int lane = 0;
                for (int e = 4 * l; e < 4 * l + 4; e++) {
                    lane += w[e] * x.codes[token * COLS + b * 32 + e];
                }
                acc[l] = Math.fma(scale, (float) lane, acc[l]);
            }
        }
        return (((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))) + summs;
    }
}
