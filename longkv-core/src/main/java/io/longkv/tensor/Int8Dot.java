package io.longkv.tensor;

/**
 * A weight type whose decode product runs on 8-bit activations with integer multiplies, as llama.cpp
 * does for the same types: fewer conversions per block than widening every weight to float, and the
 * same activation rounding as the reference.
 */
interface Int8Dot {
    /** The dot product of row {@code row} with the quantized activations {@code x} (length = cols). */
    float dot(int row, Q8Activations x);

    /**
     * Rows {@code row} (even) and {@code row + 1} into {@code out[outOffset]} and {@code out[outOffset + 1]},
     * each exactly as {@link #dot} gives it; types with a row-pair layout read both rows in one pass.
     */
    default void dotPair(int row, Q8Activations x, float[] out, int outOffset) {
        out[outOffset] = dot(row, x);
        out[outOffset + 1] = dot(row + 1, x);
    }
}
