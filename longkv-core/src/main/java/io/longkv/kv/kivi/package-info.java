/**
 * KIVI (arXiv 2402.02750): tuning-free asymmetric 2/4-bit KV quantization, spec
 * {@code kivi:bits=2|4|1,group=32,residual=128,rollback=1024}.
 *
 * <h2>Algorithm (as in the reference code)</h2>
 * <ul>
 *   <li>Keys per channel: positions are cut into groups of {@code group} tokens, each (KV head, channel, group)
 *   gets its own (scale, min). Values per token: each token's channels are cut into groups of {@code group}
 *   channels. Asymmetric min/max round-to-nearest ({@link io.longkv.kv.quant.Quantizer}).</li>
 *   <li>Residual windows R = {@code residual}: keys are flushed R at a time when the key residual is full, so the
 *   first floor(T / R) * R positions have quantized keys; values keep a sliding window of the last R tokens at
 *   full precision. A decode step appends the new token, attends (key residual up to R, value window R + 1),
 *   then flushes. Prefill attends at full precision and quantizes at {@code endPrefill}, giving the same
 *   state: keys floor(T / R) * R, values T - R.</li>
 *   <li>Decode attention runs on the packed codes ({@link io.longkv.kv.quant.PackedKernels}): keys by the
 *   scaled-query trick, values by per-token scaled accumulation; nothing is widened to a float copy. The
 *   online softmax, GQA grouping and decode splits are the shared {@link io.longkv.kv.attention.PagedAttention}
 *   walking {@link io.longkv.kv.kivi.KiviRuns}.</li>
 * </ul>
 *
 * <h2>Adaptations (documented deviations)</h2>
 * <ul>
 *   <li>Flushes are applied lazily at the start of the next append (or at endPrefill): attention sees exactly
 *   KIVI's state, but between steps up to R keys (not R - 1) are held at full precision.</li>
 *   <li>Full precision is f32 (the engine's activation type), not fp16; the tail lives in f32 blocks of the
 *   block pool. Scales and mins are halves like the reference, but min is rounded down and scale up to the next
 *   half so every element stays within half a step; a constant group gets scale 0 (the reference divides by 0).
 *   Keys or values beyond the half range (|x| > 65504) are not supported, as in the reference.</li>
 *   <li>A multi-token append that is not a session prompt still counts as prefill until {@code endPrefill}.
 *   Teacher-forced perplexity over chunks therefore sees a full-precision prompt; measure KIVI's perplexity
 *   token by token.</li>
 *   <li>GQA: each KV head's packed rows are read once for the whole query group (the reference kernel maps
 *   heads the same way).</li>
 *   <li>1-bit (TailorKV) uses the same code path: scale = max - min.</li>
 * </ul>
 *
 * <h2>Truncation, forks, memory</h2>
 * Quantization cannot be undone, so the full-precision tail keeps everything since the end of the last prompt
 * (the checkpoint), up to {@code rollback} decoded tokens beyond the value window: {@code canTruncate(n)} holds
 * for n down to the end of the last prompt (any n while nothing is quantized), which is what rollback of a
 * turn's decoded tokens and the speed benchmark need; past {@code rollback} decoded tokens the checkpoint is
 * dropped and the tail shrinks to the windows. The prefix cache forks during prefill (before quantization), so
 * it can share prompt prefixes. {@code fork()} copies the packed rows (about a fifth of an f16 cache) and shares
 * the tail blocks copy-on-write. {@code memory()} counts codes, half scales and mins (capacity reserved from the
 * pool, grown by an eighth) and the tail blocks; {@code bytesRead()} counts codes, params and f32 tail rows one
 * decode step reads.
 */
package io.longkv.kv.kivi;
