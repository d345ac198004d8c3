package io.longkv.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the books for haystacks are: --corpus, else the ones shipped in the repository's data/corpus. */
final class CorpusDirectory {
    private CorpusDirectory() {
    }

    /** @param option the --corpus value, or null (the launcher sets longkv.home to the repository) */
    static Path resolve(Path option) {
        if (option != null) {
            return option;
        }
        Path shipped = Path.of(System.getProperty("longkv.home", "."), "data", "corpus");
        if (!Files.isDirectory(shipped)) {
            throw new IllegalArgumentException("no corpus at " + shipped + "; pass --corpus DIR (a directory of *.txt files)");
        }
        return shipped;
    }
}
