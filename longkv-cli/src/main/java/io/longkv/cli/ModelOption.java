package io.longkv.cli;

import io.longkv.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model PATH}, shared by every command that loads a model; the default model is fetched on first use. */
final class ModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "PATH",
            description = "GGUF model file (default: SmolLM2-135M-Instruct Q4_1, fetched on first use).")
    Path model;

    Path resolve() {
        if (model == null) {
            return ModelStore.standard(System.err).ensureDefaultModel();
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file not found: " + model);
        }
        return model;
    }
}
