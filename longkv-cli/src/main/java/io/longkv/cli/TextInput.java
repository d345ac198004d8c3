package io.longkv.cli;

import io.longkv.model.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The text a teacher-forced command scores: a file tokenized as plain text (special tokens not
 * parsed), BOS first when the model wants it, optionally cut to a number of tokens.
 */
final class TextInput {
    @Option(names = "--text-file", required = true, paramLabel = "FILE", description = "The text to score.")
    Path textFile;

    @Option(names = "--max-tokens", defaultValue = "0", description = "Use at most this many tokens of the text (0 = all).")
    int maxTokens;

    int[] tokens(Model model) throws IOException {
        String text = Files.readString(textFile, StandardCharsets.UTF_8);
        int[] ids = model.tokenizer().encode(text, false);
        boolean bos = model.tokenizer().addBos() && model.tokenizer().bos() >= 0;
        int n = Math.min(ids.length + (bos ? 1 : 0), maxTokens > 0 ? maxTokens : Integer.MAX_VALUE);
        int[] out = new int[n];
        int at = 0;
        if (bos && n > 0) {
            out[at++] = model.tokenizer().bos();
        }
        System.arraycopy(ids, 0, out, at, n - at);
        return out;
    }
}
