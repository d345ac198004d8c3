package io.longkv.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared corpus books ({@code ../shared/corpus} beside the repository, or /work/shared/corpus). */
public final class TestCorpus {
    private TestCorpus() {
    }

    public static Path directory() {
        Path corpus = Path.of(System.getProperty("user.dir")).resolve("../../shared/corpus").normalize();
        return Files.isDirectory(corpus) ? corpus : Path.of("/work/shared/corpus");
    }
}
