package io.longkv.model;

import io.longkv.gguf.GgufFile;
import io.longkv.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A loaded GGUF model: configuration, memory-mapped weights, forward pass and tokenizer.
 * Closing it unmaps the weights; nothing computed from it may be used afterwards.
 */
public final class Model implements AutoCloseable {
    private final GgufFile gguf;
    private final ModelConfig config;
    private final Transformer transformer;
    private final Tokenizer tokenizer;

    private Model(GgufFile gguf) {
        this.gguf = gguf;
        this.config = ModelConfig.from(gguf.metadata());
        this.transformer = new Transformer(config, ModelWeights.load(gguf, config));
        this.tokenizer = Tokenizer.fromGguf(gguf.metadata());
    }

    public static Model load(Path path) throws IOException {
        GgufFile gguf = GgufFile.open(path);
        try {
            return new Model(gguf);
        } catch (RuntimeException e) {
            gguf.close();
            throw e;
        }
    }

    public GgufFile gguf() {
        return gguf;
    }

    public ModelConfig config() {
        return config;
    }

    public Transformer transformer() {
        return transformer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** A short identity for reports and saved caches: the file name and architecture. */
    public String name() {
        return gguf.metadata().getString("general.name", gguf.path().getFileName().toString());
    }

    @Override
    public void close() {
        gguf.close();
    }
}
