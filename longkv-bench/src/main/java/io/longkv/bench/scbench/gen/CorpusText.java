package io.longkv.bench.scbench.gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The sentences of a directory of {@code *.txt} books, for haystacks and documents. */
public final class CorpusText {
    /** Skips each book's front matter (licence, contents). */
    private static final int SKIP_CHARS = 20_000;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z\"])");

    private final List<String> sentences;

    CorpusText(List<String> sentences) {
        if (sentences.size() < 100) {
            throw new IllegalArgumentException("the corpus is too small: " + sentences.size() + " sentences");
        }
        this.sentences = List.copyOf(sentences);
    }

    public static CorpusText load(Path directory) {
        List<String> sentences = new ArrayList<>();
        try (Stream<Path> books = Files.list(directory)) {
            for (Path book : books.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                String text = Files.readString(book);
                text = text.substring(Math.min(SKIP_CHARS, text.length() / 4)).replaceAll("\\s+", " ");
                for (String s : SENTENCE_END.split(text)) {
                    if (s.length() > 20) {
                        sentences.add(s.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus in " + directory, e);
        }
        return new CorpusText(sentences);
    }

    /**
     * {@code count} consecutive sentences from a random place. The place does not depend on {@code count}
     * (unless near the end), so a longer passage extends a shorter one and token sizes grow with the count.
     */
    List<String> passage(Random random, int count) {
        int n = Math.min(count, sentences.size());
        int start = Math.min(random.nextInt(sentences.size()), sentences.size() - n);
        return sentences.subList(start, start + n);
    }
}
