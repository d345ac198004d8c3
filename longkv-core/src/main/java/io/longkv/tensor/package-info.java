/**
 * Tensor kernels: one {@link io.longkv.tensor.WeightMatrix} subclass per GGML weight type, reading
 * the mapped blocks in place ({@code dot}, {@code matVec}, {@code matMul}); the process-wide
 * {@link io.longkv.tensor.Parallel} pool; and the float helpers of the forward pass in
 * {@link io.longkv.tensor.VectorMath}.
 *
 * <p>Decode is memory-bound, so a kernel is judged in GB/s of weights streamed against the
 * machine's read bandwidth ({@code io.longkv.bench.kernels.KernelBenchmarks}).
 */
package io.longkv.tensor;
