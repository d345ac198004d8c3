package io.longkv.tokenizer;

import io.longkv.gguf.GgufFile;
import io.longkv.gguf.GgufMetadata;
import io.longkv.gguf.GgufValueType;
import io.longkv.gguf.GgufWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds tokenizer metadata for tests: tokens with types and scores, written and read back as a GGUF. */
final class SyntheticVocab {
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final List<Float> scores = new ArrayList<>();
    final GgufWriter writer = new GgufWriter();

    SyntheticVocab(String model) {
        writer.putString("tokenizer.ggml.model", model);
    }

    /** Adds a token and returns its id. */
    int add(String text, TokenType type, float score) {
        tokens.add(text);
        types.add(type.ordinal());
        scores.add(score);
        return tokens.size() - 1;
    }

    int add(String text, TokenType type) {
        return add(text, type, 0f);
    }

    int add(String text) {
        return add(text, TokenType.NORMAL, 0f);
    }

    GgufMetadata metadata() {
        writer.putStrings("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        writer.putInts("tokenizer.ggml.token_type", GgufValueType.INT32, types.stream().mapToInt(Integer::intValue).toArray());
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        writer.putFloats("tokenizer.ggml.scores", s);
        try {
            Path file = Files.createTempFile("vocab", ".gguf");
            try (GgufFile gguf = GgufFile.open(writer.write(file))) {
                return gguf.metadata();
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tokenizer tokenizer() {
        return Tokenizer.fromGguf(metadata());
    }
}
