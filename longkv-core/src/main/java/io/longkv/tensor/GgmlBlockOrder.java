package io.longkv.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/**
 * The summation order of ggml's x86 (AVX2) products of a 32-value weight block with 8-bit
 * activations (ggml_vec_dot_q4_1_q8_1, ggml_vec_dot_q8_0_q8_0 and llamafile's tinyBLAS_Q0_AVX all
 * share it), so the int8 kernels give llama.cpp's results bit for bit: per block, 8 integer lanes,
 * lane l the sum of the products of values 4l..4l+3 (maddubs then madd); per output,
 * {@code acc = fma(dw * dx, lanes, acc)} over the blocks in order; at the end
 * {@code ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))} (hsum_float_8, {@link #hsum}).
 *
 * <p>Decode multiplies 16 short lanes at a time, {@code w[0..16) * c[0..16) + w[16..32) * c[16..32)},
 * and adds each int lane's two shorts. With weights and codes of a block both in {@link #GROUPED} order,
 * int lane l then holds values 4l, 4l+2 and 4l+1, 4l+3: ggml's lane l, with no shuffle per block (the
 * Vector API's blends and shuffles made that kernel 1.5-2x slower). Codes are put in that order once per
 * product ({@link Q8Activations#group}); weight blocks once per matrix, in a repacked copy
 * ({@link #repack}), as llama.cpp repacks some types for its own kernels.
 */
final class GgmlBlockOrder {
    /**
     * A block's 32 values in decode's order: [0, 1, 4, 5, .., 28, 29, 2, 3, 6, 7, .., 30, 31]; for 4-bit
     * weights, byte j of a repacked block holds value GROUPED[j] in its low nibble and GROUPED[16 + j] in
     * its high one.
     */
    static final int[] GROUPED = grouped();

    private GgmlBlockOrder() {
    }

    private static int[] grouped() {
        int[] order = new int[32];
        for (int j = 0; j < 16; j++) {
            order[j] = 4 * (j / 2) + j % 2;
            order[16 + j] = order[j] + 2;
        }
        return order;
    }

    /** A copy of {@code data} (whole blocks of {@code blockBytes}) with each block's values moved by {@code block}. */
    static MemorySegment repack(MemorySegment data, long bytes, int blockBytes, BlockRepacker block) {
        MemorySegment packed = Arena.ofAuto().allocate(bytes, 64);
        byte[] in = new byte[blockBytes];
        byte[] out = new byte[blockBytes];
        for (long off = 0; off < bytes; off += blockBytes) {
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, off, in, 0, blockBytes);
            block.repack(in, out);
            MemorySegment.copy(out, 0, packed, ValueLayout.JAVA_BYTE, off, blockBytes);
        }
        return packed;
    }

    /** Rewrites one block into decode's order. */
    @FunctionalInterface
    interface BlockRepacker {
        void repack(byte[] in, byte[] out);
    }

    /** hsum_float_8: ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)). */
    static float hsum(FloatVector acc) {
        return ((acc.lane(0) + acc.lane(4)) + (acc.lane(2) + acc.lane(6))) + ((acc.lane(1) + acc.lane(5)) + (acc.lane(3) + acc.lane(7)));
    }
}
