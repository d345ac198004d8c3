package io.longkv.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.longkv.kv.KvCache;
import io.longkv.kv.KvSpec;
import io.longkv.kv.block.BlockPool;
import io.longkv.tensor.WeightMatrix;
import io.longkv.testing.TestModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;

/**
 * The same tokens give the same logits bit for bit on every run of a JVM, the first (cold, interpreted) one
 * included: reductions whose order the JIT may change (the Vector API's reduceLanes, its EXP) once made the
 * first run differ from later ones by a few ulps.
 */
@Tag("model")
class DeterminismModelTest {
    @ParameterizedTest
    @ValueSource(strings = {"f32", "q8"})
    void repeatedRunsGiveIdenticalLogits(String activations) throws Exception {
        WeightMatrix.setInt8Activations(activations.equals("q8"));
        try (Model model = Model.load(TestModels.defaultModel())) {
            int[] tokens = model.tokenizer().encode("It was a dark and stormy night; the rain fell in torrents, except at "
                    + "occasional intervals, when it was checked by a violent gust of wind.", false);
            float[][] first = run(model, tokens, "full:dtype=f16");
            for (int run = 0; run < 3; run++) {
                float[][] again = run(model, tokens, "full:dtype=f16");
                for (int p = 0; p < tokens.length; p++) {
                    assertArrayEquals(first[p], again[p], "run " + (run + 2) + ", position " + p);
                }
            }
        } finally {
            WeightMatrix.setInt8Activations(true);
        }
    }

    /** Logits at every position: the prompt in chunks of 8, then its last 4 tokens one at a time. */
    private static float[][] run(Model model, int[] tokens, String spec) {
        ModelConfig c = model.config();
        float[][] out = new float[tokens.length][];
        try (KvCache cache = new KvCache(KvSpec.parse(spec), c, model.transformer().ropeInverseFrequencies(),
                new BlockPool(1L << 28, 16), null)) {
            ForwardBuffers buffers = new ForwardBuffers(c, 8);
            for (int done = 0; done < tokens.length; ) {
                int count = done < tokens.length - 4 ? Math.min(8, tokens.length - 4 - done) : 1;
                int base = done;
                model.transformer().forward(buffers, cache, tokens, done, count, done, 0,
                        (row, logits, offset) -> out[base + row] = java.util.Arrays.copyOfRange(logits, offset, offset + c.vocabSize()));
                done += count;
            }
        }
        return out;
    }
}
