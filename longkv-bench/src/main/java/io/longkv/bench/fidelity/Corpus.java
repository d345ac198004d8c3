package io.longkv.bench.fidelity;

import io.longkv.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The books of the shared corpus as one token sequence (in file-name order). */
final class Corpus {
    private Corpus() {
    }

    static int[] tokens(Path directory, Tokenizer tokenizer) {
        try (Stream<Path> books = Files.list(directory)) {
            String text = books.filter(p -> p.toString().endsWith(".txt")).sorted().map(Corpus::read)
                    .collect(Collectors.joining("\n\n"));
            if (text.isEmpty()) {
                throw new IllegalArgumentException("no *.txt books in " + directory);
            }
            return tokenizer.encode(text, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus in " + directory, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
