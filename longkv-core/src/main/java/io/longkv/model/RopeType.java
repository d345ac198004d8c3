package io.longkv.model;

/** How rotary embeddings pair the dimensions of a head. */
public enum RopeType {
    /** Adjacent pairs (2i, 2i+1): Llama GGUFs, whose Q/K weights were permuted at conversion. */
    NORM,
    /** Halves (i, i + n/2): Qwen2 and other GPT-NeoX style models. */
    NEOX
}
