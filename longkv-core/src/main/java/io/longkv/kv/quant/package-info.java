/**
 * Shared quantization for KV methods: the asymmetric min/max quantizer with half (scale, min) parameters and
 * dense little-endian code packing ({@link io.longkv.kv.quant.Quantizer}), per-head packed row storage reserved
 * from the block pool ({@link io.longkv.kv.quant.PackedRows}), and attention kernels that work on the codes
 * directly ({@link io.longkv.kv.quant.PackedKernels}: per-channel-grouped keys, per-token-grouped values; 1, 2
 * and 4 bits). Used by KIVI and meant for TailorKV's 1-bit layers.
 */
package io.longkv.kv.quant;
