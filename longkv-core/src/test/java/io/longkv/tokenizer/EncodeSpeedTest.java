package io.longkv.tokenizer;

import io.longkv.gguf.GgufFile;
import io.longkv.testing.TestModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.longkv.testing.TestCorpus;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encoding a book-sized prompt must stay far below the time the model needs to read it. */
@Tag("model")
class EncodeSpeedTest {
    @Test
    void encodesOverOneHundredThousandTokensInUnderASecond() throws IOException {
        Tokenizer tokenizer;
        try (GgufFile file = GgufFile.open(TestModels.defaultModel())) {
            tokenizer = Tokenizer.fromGguf(file.metadata());
        }
        String text = corpusText(600_000);
        // The first run is cold (JIT, empty word cache); later runs show the steady state.
        long t0 = System.nanoTime();
        int[] ids = tokenizer.encode(text, false);
        double cold = (System.nanoTime() - t0) / 1e9;
        long warm = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long t1 = System.nanoTime();
            tokenizer.encode(text, false);
            warm = Math.min(warm, System.nanoTime() - t1);
        }
        assertTrue(ids.length >= 100_000, "corpus too small: " + ids.length + " tokens");
        assertEquals(text, tokenizer.decode(ids));
        System.out.printf("encode: %d chars -> %d tokens, cold %.3f s, warm %.3f s (%.0f tokens/s)%n",
                text.length(), ids.length, cold, warm / 1e9, ids.length / (warm / 1e9));
        // Asserted on the steady state: the cold run mostly measures JIT compilation on a shared machine.
        assertTrue(warm / 1e9 < 1.0, "encoding took " + warm / 1e9 + " s");
    }

    /** The first {@code chars} characters of the shared corpus books. */
    private static String corpusText(int chars) throws IOException {
        Path corpus = TestCorpus.directory();
        StringBuilder text = new StringBuilder();
        try (Stream<Path> books = Files.list(corpus).filter(p -> p.toString().endsWith(".txt")).sorted()) {
            for (Path book : books.toList()) {
                text.append(Files.readString(book));
                if (text.length() >= chars) {
                    break;
                }
            }
        }
        return text.substring(0, Math.min(chars, text.length()));
    }
}
