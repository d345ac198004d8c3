package io.longkv.kv.quant;

/**
 * KIVI's asymmetric round-to-nearest quantizer of a group of numbers to {@code bits}-bit codes:
 * {@code scale = (max - min) / (2^bits - 1)}, {@code code = round((x - min) / scale)}, {@code x' = code * scale + min}.
 * The (scale, min) pair is stored as two halves; min is rounded down and scale up to the next half, so the
 * codes still span the group and every element stays within half a step of its dequantized value. A group
 * of equal numbers gets scale 0 and code 0 (the reference divides by zero there).
 * Codes are packed densely, little-endian: element e of a packed stream takes bits {@code [e * bits, (e + 1) * bits)}
 * of the int array, so 32 / bits codes share an int and a run of 8 elements never straddles two ints
 * (what {@link PackedKernels} relies on).
 */
public final class Quantizer {
    private Quantizer() {
    }

    /** Ints holding {@code elements} codes of {@code bits} bits. */
    public static int ints(int elements, int bits) {
        return (elements * bits + Integer.SIZE - 1) / Integer.SIZE;
    }

    /**
     * Quantizes {@code x[off + i * step]} for i below n: the (scale, min) halves go to {@code params[p]} and
     * {@code params[p + 1]}, the codes to {@code codes[0 .. n)}.
     */
    public static void quantize(float[] x, int off, int step, int n, int bits, short[] params, int p, int[] codes) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = x[off + i * step];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int top = (1 << bits) - 1;
        short minHalf = halfFloor(min);
        float low = Float.float16ToFloat(minHalf);
        short scaleHalf = max == min ? 0 : halfCeil((max - low) / top);
        float scale = Float.float16ToFloat(scaleHalf);
        float inverse = scale == 0 ? 0 : 1 / scale;
        for (int i = 0; i < n; i++) {
            codes[i] = Math.clamp(Math.round((x[off + i * step] - low) * inverse), 0, top);
        }
        params[p] = scaleHalf;
        params[p + 1] = minHalf;
    }

    /** Writes {@code code} as element {@code element} of the packed stream starting at {@code codes[base]}. */
    public static void setCode(int[] codes, int base, int element, int bits, int code) {
        int bit = element * bits;
        int at = base + bit / Integer.SIZE;
        int shift = bit % Integer.SIZE;
        int mask = ((1 << bits) - 1) << shift;
        codes[at] = (codes[at] & ~mask) | (code << shift & mask);
    }

    /** Element {@code element} of the packed stream starting at {@code codes[base]}. */
    public static int code(int[] codes, int base, int element, int bits) {
        int bit = element * bits;
        return codes[base + bit / Integer.SIZE] >>> (bit % Integer.SIZE) & ((1 << bits) - 1);
    }

    /** {@code code * scale + min} with the pair at {@code params[p]}. */
    public static float dequantize(int code, short[] params, int p) {
        return code * Float.float16ToFloat(params[p]) + Float.float16ToFloat(params[p + 1]);
    }

    /** The largest half not above {@code x}. */
    static short halfFloor(float x) {
        short h = Float.floatToFloat16(x);
        if (Float.float16ToFloat(h) <= x) {
            return h;
        }
        // One step toward negative infinity: shrink a positive magnitude, grow a negative one (from +0 to -tiny).
        return (short) (h > 0 ? h - 1 : h == 0 ? 0x8001 : h + 1);
    }

    /** The smallest half not below {@code x} (x >= 0). */
    static short halfCeil(float x) {
        short h = Float.floatToFloat16(x);
        return Float.float16ToFloat(h) >= x ? h : (short) (h + 1);
    }
}
