package io.longkv.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The summation order of ggml's x86 (AVX2) products of a 32-value weight block with 8-bit
 * activations (ggml_vec_dot_q4_1_q8_1, ggml_vec_dot_q8_0_q8_0 and llamafile's tinyBLAS_Q0_AVX all
 * share it), so the int8 kernels give llama.cpp's results bit for bit: per block, 8 integer lanes,
 * lane l the sum of the products of values 4l..4l+3 (maddubs then madd); per output,
 * {@code acc = fma(dw * dx, lanes, acc)} over the blocks in order; at the end
 * {@code ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))} (hsum_float_8, {@link VectorMath#hsum}).
 *
 * <p>Decode and prefill ({@link Int8MatMul}) multiply 16 short lanes at a time,
 * {@code w[0..16) * c[0..16) + w[16..32) * c[16..32)}, and add each int lane's two shorts. With weights
 * and codes of a block both in {@link #GROUPED} order, int lane l then holds values 4l, 4l+2 and 4l+1,
 * 4l+3: ggml's lane l, with no shuffle per block (the
 * Vector API's blends and shuffles made that kernel 1.5-2x slower). Codes are put in that order once per
 * product ({@link Q8Activations#group}); weight blocks once per matrix for decode, in a repacked copy
 * ({@link Repacked}), as llama.cpp repacks some types for its own kernels, and once per row tile for prefill.
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

    /**
     * A matrix's blocks rewritten into decode's order, copied on first use (decode only; prefill and the float
     * paths read the mapping). A type's repacker may also widen the block's f16 params to f32 (two fewer
     * conversions per block in the kernel, for 4 more bytes). Rows are interleaved in pairs, block k of row 2p
     * then block k of row 2p + 1, so a kernel computing two rows at once ({@link Int8Dot#dotPair}) loads each
     * activation vector once for both and reads one sequential stream; an odd last row keeps its blocks in a
     * row. Thread-safe: the first caller builds it, the others wait.
     */
    static final class Repacked {
        private final MemorySegment data;
        private final int rows;
        private final int blocksPerRow;
        private final int sourceBlockBytes;
        private final int blockBytes;
        private final BlockRepacker block;
        private volatile MemorySegment packed;

        /** Blocks of {@code sourceBlockBytes} in the mapping become blocks of {@code blockBytes} in the copy. */
        Repacked(MemorySegment data, int rows, int blocksPerRow, int sourceBlockBytes, int blockBytes, BlockRepacker block) {
            this.data = data;
            this.rows = rows;
            this.blocksPerRow = blocksPerRow;
            this.sourceBlockBytes = sourceBlockBytes;
            this.blockBytes = blockBytes;
            this.block = block;
        }

        MemorySegment segment() {
            MemorySegment p = packed;
            if (p == null) {
                synchronized (this) {
                    if (packed == null) {
                        packed = copy();
                    }
                    p = packed;
                }
            }
            return p;
        }

        /** Offset of row {@code row}'s first block in the copy. */
        long rowStart(int row) {
            Objects.checkIndex(row, rows);
            return paired(row) ? pairStart(row & ~1) + (long) (row & 1) * blockBytes : (long) row * blocksPerRow * blockBytes;
        }

        /** Bytes from one block of row {@code row} to its next. */
        long blockStride(int row) {
            return paired(row) ? 2L * blockBytes : blockBytes;
        }

        /** Offset of the interleaved blocks of rows {@code row} (even) and {@code row + 1}. */
        long pairStart(int row) {
            if ((row & 1) != 0 || !paired(row)) {
                throw new IndexOutOfBoundsException("rows " + row + " and " + (row + 1) + " are not an interleaved pair of " + rows);
            }
            return (long) row * blocksPerRow * blockBytes;
        }

        private boolean paired(int row) {
            return row >= 0 && row < (rows & ~1);
        }

        private MemorySegment copy() {
            MemorySegment out = Arena.ofAuto().allocate((long) rows * blocksPerRow * blockBytes, 64);
            byte[] in = new byte[sourceBlockBytes];
            byte[] moved = new byte[blockBytes];
            long from = 0;
            for (int r = 0; r < rows; r++) {
                long to = rowStart(r);
                long stride = blockStride(r);
                for (int k = 0; k < blocksPerRow; k++, from += sourceBlockBytes, to += stride) {
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, from, in, 0, sourceBlockBytes);
                    block.repack(in, moved);
                    MemorySegment.copy(moved, 0, out, ValueLayout.JAVA_BYTE, to, blockBytes);
                }
            }
            return out;
        }
    }

    /** Rewrites one block into decode's order. */
    @FunctionalInterface
    interface BlockRepacker {
        void repack(byte[] in, byte[] out);
    }

    /** {@link VectorMath#hsum} (hsum_float_8) of the 8 lanes stored at {@code lanes[from ..]}. */
    static float hsum(float[] lanes, int from) {
        return ((lanes[from] + lanes[from + 4]) + (lanes[from + 2] + lanes[from + 6]))
                + ((lanes[from + 1] + lanes[from + 5]) + (lanes[from + 3] + lanes[from + 7]));
    }
}
