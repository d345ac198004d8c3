package io.longkv.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real models that tests tagged {@code model} run against. */
public final class TestModels {
    public static final String DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf";

    private TestModels() {
    }

    /**
     * The default model: {@code $LONGKV_MODEL} if set, else {@code ~/.cache/longkv/models/SmolLM2-135M-Instruct.Q4_1.gguf}.
     * Fails with instructions when the file is missing, so a model test never passes by skipping.
     */
    public static Path defaultModel() {
        String env = System.getenv("LONGKV_MODEL");
        Path path = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "longkv", "models", DEFAULT_MODEL_FILE);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("model not found: " + path
                    + " (run `./longkv model fetch` or set LONGKV_MODEL to a GGUF file)");
        }
        return path;
    }
}
