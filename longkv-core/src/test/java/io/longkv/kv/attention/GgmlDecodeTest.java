package io.longkv.kv.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.longkv.kv.KvTesting;
import io.longkv.kv.block.BlockPool;
import io.longkv.kv.block.KvBlock;
import io.longkv.kv.block.KvDtype;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One-token decode, which reads each KV head once for its whole query group, against the per-query-head
 * computation it replaced (ggml_vec_dot_f32 scores, ggml's softmax, 32-lane value product): bit for bit.
 */
class GgmlDecodeTest {
    @ParameterizedTest
    @CsvSource({
        // heads, kvHeads, headDim, blockTokens, stored, dtype
        "9, 3, 64, 16, 1, F32", "9, 3, 64, 16, 31, F32", "9, 3, 64, 16, 32, F32", "9, 3, 64, 16, 33, F32",
        "9, 3, 64, 16, 700, F32", "9, 3, 64, 7, 1001, F32", "9, 3, 64, 16, 4099, F32",
        "4, 4, 64, 16, 517, F32", "4, 1, 64, 16, 300, F32", "3, 1, 72, 16, 77, F32", "8, 2, 64, 16, 517, F32", "8, 2, 64, 5, 95, F32",
        "6, 2, 80, 16, 300, F32", "6, 2, 72, 16, 300, F32", "6, 2, 36, 16, 130, F32",
        "9, 3, 64, 16, 517, F16", "8, 2, 64, 7, 130, Q8_0"})
    void decodeIsPerHeadComputationBitForBit(int heads, int kvHeads, int headDim, int blockTokens, int stored, KvDtype dtype) {
        Random random = new Random(stored * 131L + heads * 7L + headDim);
        int kvDim = kvHeads * headDim;
        float[] keys = KvTesting.gaussian(random, stored * kvDim);
        float[] values = KvTesting.gaussian(random, stored * kvDim);
        float[] q = KvTesting.gaussian(random, heads * headDim);
        for (int i = 0; i < q.length; i++) {
            q[i] *= 3; // peaked softmax rows, as real attention has
        }
        KvBlock[] blocks = KvTesting.blocks(new BlockPool(1L << 30, blockTokens), dtype, keys, values, stored, kvHeads, headDim);
        // The reference sees what the blocks store (f16/q8 round the rows on write).
        float[][] k = new float[kvHeads][stored * headDim];
        float[][] v = new float[kvHeads][stored * headDim];
        for (int b = 0; b < blocks.length; b++) {
            int from = b * blockTokens;
            int to = Math.min(stored, from + blockTokens);
            for (int h = 0; h < kvHeads; h++) {
                blocks[b].readKeys(h, 0, to - from, k[h], from * headDim);
                blocks[b].readValues(h, 0, to - from, v[h], from * headDim);
            }
        }
        float[] out = new float[heads * headDim];
        new GgmlAttention(heads, kvHeads, headDim).attend(blocks, blockTokens, stored, q, 1, out);
        float[] expected = perHead(k, v, stored, q, heads, kvHeads, headDim);
        for (int i = 0; i < out.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[i]),
                    "head " + i / headDim + " dim " + i % headDim + ": " + expected[i] + " vs " + out[i]);
        }
    }

    /** The former decode path: each query head alone, keys and values of its KV head as one run of rows. */
    private static float[] perHead(float[][] keys, float[][] values, int stored, float[] q, int heads, int kvHeads, int headDim) {
        int group = heads / kvHeads;
        float scale = 1f / (float) Math.sqrt(headDim);
        float[] out = new float[heads * headDim];
        for (int h = 0; h < heads; h++) {
            float[] scores = new float[stored];
            for (int t = 0; t < stored; t++) {
                scores[t] = AttentionMath.ggmlDot(q, h * headDim, keys[h / group], t * headDim, headDim);
            }
            AttentionMath.ggmlSoftmax(scores, 0, stored, scale);
            float[] partial = new float[32 * headDim];
            AttentionMath.ggmlValueLanes(values[h / group], 0, stored, headDim, scores, 0, 0, 32, partial);
            AttentionMath.ggmlLaneSum(partial, 0, 32, headDim, out, h * headDim);
        }
        return out;
    }
}
