package io.longkv.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.engine.Session;
import io.longkv.testing.TinyModels;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TransformerTest {
    private static final double TOLERANCE = 2e-4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void chunkedPrefillAndDecodeMatchTheReference(String arch) throws Exception {
        TinyModels.Spec spec = arch.equals("llama") ? TinyModels.LLAMA : TinyModels.QWEN2;
        Path file = TinyModels.write(spec, dir.resolve(arch + ".gguf"), 11);
        int[] tokens = new Random(3).ints(23, 0, 256).toArray();
        try (Model model = Model.load(file)) {
            double[][] expected = new ReferenceForward(model.gguf()).logits(tokens);
            int vocab = model.config().vocabSize();

            // Prefill in chunks of 5 with logits at every row.
            Session chunked = new Session(model, 64, 5);
            float[][] actual = new float[tokens.length][];
            chunked.append(tokens, (row, logits, offset) -> {
                actual[row] = java.util.Arrays.copyOfRange(logits, offset, offset + vocab);
            }, null);
            for (int pos = 0; pos < tokens.length; pos++) {
                assertClose(expected[pos], actual[pos], "chunked prefill, position " + pos);
            }

            // One token at a time (the decode path).
            Session stepped = new Session(model, 64, 5);
            for (int pos = 0; pos < tokens.length; pos++) {
                stepped.append(tokens[pos]);
                assertClose(expected[pos], stepped.logits(), "decode, position " + pos);
            }
            assertEquals(tokens.length, stepped.length());
            assertArrayEquals(tokens, stepped.tokens());
        }
    }

    @Test
    void promptLongerThanTheContextFailsBeforeAnyWork() throws Exception {
        Path file = TinyModels.write(TinyModels.LLAMA, dir.resolve("c.gguf"), 5);
        try (Model model = Model.load(file)) {
            Session session = new Session(model, 8, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> session.append(new int[9]));
            assertTrue(e.getMessage().contains("context holds 8"), e.getMessage());
            assertEquals(0, session.length());
        }
    }

    private static void assertClose(double[] expected, float[] actual, String where) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst < TOLERANCE, where + ": max abs difference " + worst);
    }
}
