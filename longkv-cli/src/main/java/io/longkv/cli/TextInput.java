package io.longkv.cli;

import io.longkv.model.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Teacher-forced inputs: a text file tokenized as plain text (special tokens not parsed), BOS first when the model wants it. */
final class TextInput {
    private TextInput() {
    }

    static int[] tokens(Model model, Path file, int limit) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int[] ids = model.tokenizer().encode(text, false);
        boolean bos = model.tokenizer().addBos() && model.tokenizer().bos() >= 0;
        int n = Math.min(ids.length + (bos ? 1 : 0), limit > 0 ? limit : Integer.MAX_VALUE);
        int[] out = new int[n];
        int at = 0;
        if (bos && n > 0) {
            out[at++] = model.tokenizer().bos();
        }
        System.arraycopy(ids, 0, out, at, n - at);
        return out;
    }
}
