package io.longkv.tensor;

import static io.longkv.tensor.Quants.F;
import static io.longkv.tensor.Quants.I;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * The summation order of ggml's x86 (AVX2) products of a 32-value weight block with 8-bit
 * activations (ggml_vec_dot_q4_1_q8_1, ggml_vec_dot_q8_0_q8_0 and llamafile's tinyBLAS_Q0_AVX all
 * share it), so the int8 kernels give llama.cpp's results bit for bit: per block, 8 integer lanes,
 * lane l the sum of the products of values 4l..4l+3 (maddubs then madd); per output,
 * {@code acc = fma(dw * dx, lanes, acc)} over the blocks in order; at the end
 * {@code ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))} (hsum_float_8).
 *
 * <p>Our lanes are a permutation of ggml's: lane 2l holds ggml lane l, lane 2l+1 ggml lane 4+l. That
 * layout falls out of two blends and one in-lane swap of the products, where ggml's own order would
 * need a horizontal add the Vector API does not have; {@link #hsum} undoes the permutation.
 */
final class GgmlBlockOrder {
    static final VectorMask<Integer> ODD = VectorMask.fromLong(I, 0b1010_1010);
    static final VectorShuffle<Integer> SWAP_PAIRS = VectorShuffle.fromValues(I, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorShuffle<Float> SWAP_PAIRS_F = VectorShuffle.fromValues(F, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorShuffle<Float> HALVES_F = VectorShuffle.fromValues(F, 4, 5, 6, 7, 0, 1, 2, 3);

    private GgmlBlockOrder() {
    }

    // One block, as the kernels spell it out (a helper returning a vector is not reliably inlined, see
    // Quants): with l and h the block's products of values 0-15 and 16-31 as shorts viewed as int lanes
    // (int lane k of l holds values 2k and 2k+1),
    //   p = l.blend(h, ODD) + h.blend(l, ODD).rearrange(SWAP_PAIRS)   (short adds)
    // puts the pair sums of values 4m..4m+3 in int lane 2m and those of 16+4m.. in lane 2m+1; adding each
    // lane's two shorts gives ggml's lane sums, and acc = fma(lanes, dw * dx, acc). A sum of two products
    // must fit a short: |product| <= 127 * 127 for 8-bit weights.

    /** hsum_float_8 of ggml's lanes, held in our permuted layout. */
    static float hsum(FloatVector acc) {
        FloatVector p = acc.add(acc.rearrange(SWAP_PAIRS_F)); // lane 2l: ggml l + ggml 4+l
        FloatVector q = p.add(p.rearrange(HALVES_F));         // lane 0: (l0+l4)+(l2+l6), lane 2: (l1+l5)+(l3+l7)
        return q.lane(0) + q.lane(2);
    }
}
