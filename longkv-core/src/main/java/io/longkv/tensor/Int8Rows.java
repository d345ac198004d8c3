package io.longkv.tensor;

/**
 * An {@link Int8Dot} type whose products follow ggml's x86 order exactly ({@link GgmlBlockOrder}), for
 * one token (decode) and for many (prefill, where llama.cpp multiplies 8-bit activations too).
 * {@code x} may hold several tokens, each {@code cols} values long.
 */
interface Int8Rows extends Int8Dot {
    /** Row {@code row} . token {@code token} of {@code x}. */
    float dot(int row, Q8Activations x, int token);

    /**
     * {@code out[o + j * stride]} = row . token {@code token + j} for j below 4, each weight block
     * unpacked once for the four tokens; every result equals {@link #dot(int, Q8Activations, int)}.
     */
    void dot4(int row, Q8Activations x, int token, float[] out, int o, int stride);
}
