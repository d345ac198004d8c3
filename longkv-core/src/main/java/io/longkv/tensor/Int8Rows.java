package io.longkv.tensor;

/**
 * An {@link Int8Dot} type whose products follow ggml's x86 order exactly ({@link GgmlBlockOrder}), for
 * one token (decode) and for many (prefill, {@link Int8MatMul}, where llama.cpp multiplies 8-bit
 * activations too). {@code x} may hold several tokens, each {@code cols} values long.
 */
interface Int8Rows extends Int8Dot {
    /** Row {@code row} . token {@code token} of {@code x}. */
    float dot(int row, Q8Activations x, int token);

    /**
     * Writes row {@code row} for {@link Int8MatMul}: per block its 32 integer values as shorts in
     * {@link GgmlBlockOrder#GROUPED} order ({@code values[block * 32 + j]} = value GROUPED[j]), its scale to
     * {@code scales[block]} and its min to {@code mins[block]} (0 for types without one).
     */
    void unpackLanes(int row, short[] values, float[] scales, float[] mins);

    /** Whether blocks have a min, added as {@code fma(min, code sum, summs)} per block (q4_1's summs). */
    boolean hasMin();
}
