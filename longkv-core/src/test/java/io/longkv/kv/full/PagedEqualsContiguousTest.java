package io.longkv.kv.full;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.longkv.kv.KvTesting;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.ModelConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The paged f32 cache computes exactly as the contiguous oracle: pages, chunks and threads change no bit. */
class PagedEqualsContiguousTest {
    @Test
    void chunkedPrefillThenDecodeIsBitIdentical() {
        ModelConfig model = KvTesting.model(1, 9, 3, 64);
        LayerKvCache paged = KvTesting.cache("full", 0, model, new BlockPool(1L << 28, 16));
        PlainF32Cache plain = new PlainF32Cache(9, 3, 64);
        Random random = new Random(5);
        int kvDim = 3 * 64;
        int qDim = 9 * 64;
        int position = 0;
        for (int chunk : new int[] {128, 128, 40, 1, 1, 1, 7, 1}) {
            float[] k = KvTesting.gaussian(random, chunk * kvDim);
            float[] v = KvTesting.gaussian(random, chunk * kvDim);
            float[] q = KvTesting.gaussian(random, chunk * qDim);
            paged.append(position, k, v, chunk);
            plain.append(position, k, v, chunk);
            float[] expected = new float[chunk * qDim];
            float[] actual = new float[chunk * qDim];
            plain.attend(position, q, chunk, expected);
            paged.attend(position, q, chunk, actual);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                        "chunk of " + chunk + " at position " + position + ", output " + i + ": " + expected[i] + " vs " + actual[i]);
            }
            position += chunk;
        }
    }
}
