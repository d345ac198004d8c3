package io.longkv.bench.kernels;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random weights off-heap in a type's block layout. Quant payloads are random bytes; the f16 scale
 * fields get small finite values so products stay in the normal float range (NaNs or subnormals
 * would not measure the same thing as real weights).
 */
final class SyntheticWeights {
    /** Byte offsets of the f16 scale/min fields inside one block. */
    private static final Map<GgmlType, int[]> SCALE_FIELDS = Map.of(
            GgmlType.Q8_0, new int[] {0}, GgmlType.Q4_0, new int[] {0}, GgmlType.Q4_1, new int[] {0, 2},
            GgmlType.Q5_0, new int[] {0}, GgmlType.Q5_1, new int[] {0, 2}, GgmlType.Q4_K, new int[] {0, 2},
            GgmlType.Q5_K, new int[] {0, 2}, GgmlType.Q6_K, new int[] {208});
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private SyntheticWeights() {
    }

    static MemorySegment allocate(Arena arena, GgmlType type, int rows, int cols, long seed) {
        long bytes = type.byteSize((long) rows * cols);
        MemorySegment s = arena.allocate(bytes, 64);
        SplittableRandom random = new SplittableRandom(seed);
        switch (type) {
            case F32 -> fill(s, 4, i -> s.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, gaussian(random)));
            case F16 -> fill(s, 2, i -> s.set(SHORT, i, Float.floatToFloat16(gaussian(random))));
            case BF16 -> fill(s, 2, i -> s.set(SHORT, i, (short) (Float.floatToRawIntBits(gaussian(random)) >>> 16)));
            default -> {
                int[] scales = SCALE_FIELDS.get(type);
                if (scales == null) {
                    throw new IllegalArgumentException("no synthetic weights for " + type);
                }
                fill(s, 8, i -> s.set(ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong()));
                for (long block = 0; block < bytes; block += type.typeSize()) {
                    for (int field : scales) {
                        s.set(SHORT, block + field, Float.floatToFloat16((float) random.nextDouble(1e-3, 2e-2)));
                    }
                }
            }
        }
        return s;
    }

    private interface ByteIndexConsumer {
        void accept(long byteIndex);
    }

    private static void fill(MemorySegment s, int stride, ByteIndexConsumer set) {
        for (long i = 0; i + stride <= s.byteSize(); i += stride) {
            set.accept(i);
        }
    }

    private static float gaussian(SplittableRandom random) {
        return (float) (random.nextGaussian() * 0.05);
    }
}
