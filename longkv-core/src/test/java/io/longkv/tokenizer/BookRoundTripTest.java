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

/** A book-sized text (over 100,000 tokens) survives encode then decode unchanged. */
@Tag("model")
class BookRoundTripTest {
    @Test
    void bookSizedTextRoundTrips() throws IOException {
        Tokenizer tokenizer;
        try (GgufFile file = GgufFile.open(TestModels.defaultModel())) {
            tokenizer = Tokenizer.fromGguf(file.metadata());
        }
        String text = corpusText(600_000);
        int[] ids = tokenizer.encode(text, false);
        assertTrue(ids.length >= 100_000, "corpus too small: " + ids.length + " tokens");
        assertEquals(text, tokenizer.decode(ids));
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
