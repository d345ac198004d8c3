package io.longkv.tensor;

/**
 * A weight type whose decode product runs on 8-bit activations with integer multiplies, as llama.cpp
 * does for the same types: fewer conversions per block than widening every weight to float, and the
 * same activation rounding as the reference.
 */
interface Int8Dot {
    /** The dot product of row {@code row} with the quantized activations {@code x} (length = cols). */
    float dot(int row, Q8Activations x);
}
