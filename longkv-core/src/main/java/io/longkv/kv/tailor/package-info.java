/**
 * TailorKV (arXiv 2505.19586): per-layer profiling, then a hybrid cache, spec
 * {@code tailor:quant-bits=1|2,group=64,residual=128,budget=192,sinks=8,recent=56,channels=8,cold-dir=DIR,profile=FILE}.
 *
 * <h2>Profile</h2>
 * {@link io.longkv.kv.tailor.TailorProfiler} prefills a calibration prompt through full f32 caches and measures,
 * per layer, the mean softmax mass outside each row's top {@code int(alpha * T)} keys over the last {@code last-q}
 * query rows and every query head ({@link io.longkv.kv.tailor.AttentionMassProbe}, a wrapper cache that sees the
 * queries and keys in {@code attend}; the forward pass is untouched). Mass above {@code beta}: quantization-friendly,
 * otherwise sparsity-friendly. The JSON ({@link io.longkv.kv.tailor.TailorProfile}) records the model file and
 * fingerprint, parameters and per-layer scores; the engine loads {@code <model>.tailor-profile.json} when it matches
 * the model and makes it on first use otherwise ({@code longkv profile} remakes it with other settings). The default
 * calibration text (a resource) is chapters 1-2 of Pride and Prejudice plus a question about them: GSM8K, the
 * paper's prompt, is not available here, and this part of the corpus is not what {@code bench fidelity} scores.
 *
 * <h2>Layers</h2>
 * Quantization-friendly layers are the {@code kivi} cache at {@code quant-bits}, {@code group}, {@code residual}.
 * Sparsity-friendly layers are {@link io.longkv.kv.tailor.OffloadedLayerCache}: prompt tokens go to the cold tier
 * as they arrive (f16 keys, values and channel-major keys in chunks of 256 tokens, each row with a CRC-32C in the
 * file) and prefill attends densely over them; at the end of the first prompt the hot tier keeps the first
 * {@code sinks} and last {@code recent} prompt tokens, then every later token (f16 blocks from the pool), plus
 * per-channel key magnitudes and a buffer of {@code channels} channel rows per KV head. A decode row, per KV head
 * with the group's mean query q̄: picks the channels with the largest {@code |q̄_c| * maxAbs_c}, scores the middle
 * prompt tokens by {@code sum_c q̄_c k_t[c]} over them, takes the top {@code budget - sinks - recent}, reads their
 * keys and values back (checked), and runs the shared exact attention over hot + selected
 * ({@link io.longkv.kv.tailor.SelectedRuns} for {@link io.longkv.kv.attention.PagedAttention}).
 *
 * <h2>Adaptations (and why)</h2>
 * <ul>
 *   <li>Speculation: the paper picks layer l+1's channels from W_q(l+1) applied to layer l's input. A layer cache
 *   only sees its own queries, so after each step the layer prefetches the channels its current query picks, for
 *   its next step; that step still picks channels from its real query and reads only the rows the prefetch missed.
 *   The choice is therefore never speculative (exact rollback, forks, reloads); the counters say how much the
 *   speculation saved. One buffer per layer instead of the paper's double buffer shared by layer parity: the next
 *   prefetch starts after the step used the buffer.</li>
 *   <li>Cold tier: a memory-mapped file on local disk instead of pinned host memory; one file per offloaded layer
 *   of a session (layer caches are built independently), in {@code cold-dir} (default: the engine's per-process
 *   directory under {@code ~/.cache/longkv/kv-cold}). Chunks are written with ordinary writes and mapped read-only.</li>
 *   <li>Later turns' prompts stay hot like generated tokens; only the first prompt is offloaded.</li>
 *   <li>If the middle of the prompt fits the budget every middle token is read back (full attention, still from
 *   the cold tier).</li>
 * </ul>
 *
 * <h2>Truncation, forks, save, errors</h2>
 * Truncation is always exact: within the generated part only hot slots go; below the end of the prompt the layer
 * returns to its prompt state (all in the cold tier, dense attention) until the next end of prefill. A fork shares
 * the written cold chunks read-only (reference counted; the last holder deletes the file), copies the staging
 * chunk and forks the hot blocks copy-on-write; it writes to a file of its own. Save writes the prompt rows and the
 * hot blocks; load rebuilds the cold tier in a new file. A cold file that cannot be written (disk full), was
 * deleted or replaced (checked by path and file key every step) or whose rows fail their checksum throws
 * {@link io.longkv.kv.tailor.ColdTierException} in the session that owns it; other sessions go on. Files still open
 * at JVM exit are deleted by a shutdown hook.
 *
 * <h2>Memory and counters</h2>
 * {@code memory()}: hot = hot blocks + magnitudes and channel buffer (+ the chunk being filled during prefill);
 * cold = written chunks (1.5x the f16 prompt plus checksums). Per-step working arrays are per thread, like the
 * kernels' scratch. {@code bytesRead()} counts hot slots, channel rows scored and rows read back;
 * {@code coldReads()} counts cold-tier bytes, prefetches, prefetches ready in time, wait time and channel rows
 * needed versus missed.
 */
package io.longkv.kv.tailor;
