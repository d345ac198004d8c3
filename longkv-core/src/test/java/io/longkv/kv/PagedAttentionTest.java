package io.longkv.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.attention.BlockRuns;
import io.longkv.kv.attention.PageSelection;
import io.longkv.kv.attention.PagedAttention;
import io.longkv.kv.block.BlockPool;
import io.longkv.kv.block.KvBlock;
import io.longkv.kv.block.KvDtype;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The paged kernels against plain double-precision softmax attention. */
class PagedAttentionTest {
    private static final int HEADS = 6;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 64;
    private static final int KV_DIM = KV_HEADS * HEAD_DIM;

    @ParameterizedTest
    @CsvSource({
            "f32, 16, 37, 1, 1e-5", // decode, one split
            "f32, 16, 3000, 1, 1e-5", // decode, split across tasks and merged
            "f32, 16, 50, 50, 1e-5", // prefill from empty, several tiles, partial block
            "f32, 7, 300, 41, 1e-5", // prefill over cache + chunk, odd block size
            "f16, 16, 2000, 1, 2e-3",
            "f16, 32, 200, 33, 2e-3",
            "f16, 7, 300, 41, 2e-3", // keys transposed in tiles padded past the block
            "f16, 5, 37, 1, 2e-3",
            "q8_0, 16, 2000, 1, 3e-2",
            "q8_0, 16, 200, 33, 3e-2"})
    void matchesPlainAttention(String dtype, int blockTokens, int stored, int rows, double tolerance) {
        Random random = new Random(stored * 31L + rows);
        float[] keys = KvTesting.gaussian(random, stored * KV_DIM);
        float[] values = KvTesting.gaussian(random, stored * KV_DIM);
        float[] q = KvTesting.gaussian(random, rows * HEADS * HEAD_DIM);
        BlockPool pool = new BlockPool(1L << 30, blockTokens);
        KvBlock[] blocks = KvTesting.blocks(pool, KvDtype.fromSpec(dtype), keys, values, stored, KV_HEADS, HEAD_DIM);
        float[] out = new float[rows * HEADS * HEAD_DIM];
        new PagedAttention(HEADS, KV_HEADS, HEAD_DIM).attend(blocks, blockTokens, stored, q, rows, out);
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < HEADS; h++) {
                int visible = stored - rows + r + 1;
                double[] expected = KvTesting.attend(keys, values, q, r, h, HEADS, KV_HEADS, HEAD_DIM, visible, t -> true);
                for (int i = 0; i < HEAD_DIM; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - out[(r * HEADS + h) * HEAD_DIM + i]));
                }
            }
        }
        assertTrue(worst <= tolerance, dtype + ": max abs difference " + worst);
    }

    /**
     * Decode over a selection that differs by KV head, in count and pages, with some pages read by only
     * part of a query group, split across tasks: each query head sees exactly its pages.
     */
    @Test
    void decodeOverPagesSelectedPerHead() {
        int blockTokens = 16;
        int stored = 3000;
        int pageCount = (stored + blockTokens - 1) / blockTokens;
        int group = HEADS / KV_HEADS;
        Random random = new Random(5);
        float[] keys = KvTesting.gaussian(random, stored * KV_DIM);
        float[] values = KvTesting.gaussian(random, stored * KV_DIM);
        float[] q = KvTesting.gaussian(random, HEADS * HEAD_DIM);
        BlockPool pool = new BlockPool(1L << 30, blockTokens);
        KvBlock[] blocks = KvTesting.blocks(pool, KvDtype.F32, keys, values, stored, KV_HEADS, HEAD_DIM);
        // KV head 0: every even page; KV head 1: the first 50 pages, every third read by query heads 0 and 1 only.
        // Both end with the last page, which holds the query's own token.
        int[][] pages = new int[KV_HEADS][];
        pages[0] = IntStream.concat(IntStream.range(0, pageCount - 1).filter(i -> i % 2 == 0),
                IntStream.of(pageCount - 1)).toArray();
        pages[1] = IntStream.concat(IntStream.range(0, 50),
                IntStream.of(pageCount - 1)).toArray();
        PageSelection selection = new PageSelection() {
            @Override
            public int pageTokens() {
                return blockTokens;
            }

            @Override
            public int count(int kvHead) {
                return pages[kvHead].length;
            }

            @Override
            public int page(int kvHead, int i) {
                return pages[kvHead][i];
            }

            @Override
            public int rowMask(int kvHead, int i) {
                return kvHead == 1 && i % 3 == 0 && i < 50 ? 0b011 : -1;
            }
        };
        float[] out = new float[HEADS * HEAD_DIM];
        new PagedAttention(HEADS, KV_HEADS, HEAD_DIM).decode(new BlockRuns().of(blocks, blockTokens), stored, q, out, selection);
        double worst = 0;
        for (int h = 0; h < HEADS; h++) {
            int kv = h / group;
            int j = h % group;
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < selection.count(kv); i++) {
                if ((selection.rowMask(kv, i) >>> j & 1) != 0) {
                    seen.add(selection.page(kv, i));
                }
            }
            double[] expected = KvTesting.attend(keys, values, q, 0, h, HEADS, KV_HEADS, HEAD_DIM, stored,
                    t -> seen.contains(t / blockTokens));
            for (int i = 0; i < HEAD_DIM; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - out[h * HEAD_DIM + i]));
            }
        }
        assertTrue(worst <= 1e-5, "max abs difference " + worst);
    }
}
