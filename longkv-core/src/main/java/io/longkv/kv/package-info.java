/**
 * The KV cache interface every method implements, and how methods are chosen.
 *
 * <h2>Shape</h2>
 * A sequence's cache is a {@link io.longkv.kv.KvCache}: one {@link io.longkv.kv.LayerKvCache} per layer,
 * each built by a {@link io.longkv.kv.KvMethod} from a {@link io.longkv.kv.KvSpec} rule
 * ({@code full:dtype=f16}, {@code layers=0-1:full;2-:quest:budget=1024}). The cache owns attention: the
 * forward pass appends post-RoPE keys and values, then asks the cache to attend the same rows' queries,
 * so a method sees every query (for scoring or page selection) and can run fused kernels on its own
 * layout. Shared kernels live in {@code io.longkv.kv.attention}, paged storage in {@code io.longkv.kv.block}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Positions.</b> {@code length()} is the number of positions covered, i.e. the next append's
 *   position; a method that evicts or merges stores fewer tokens than that. Appends are always at
 *   {@code length()}; attention for rows {@code p..p+n-1} comes right after appending them.</li>
 *   <li><b>Prefill hook.</b> {@code endPrefill()} is called after the prompt of a turn (any multi-token
 *   append by a session); one-shot compressors (SnapKV) act there, and may be called again next turn.</li>
 *   <li><b>Truncate / rollback.</b> {@code truncate(n)} must leave the cache exactly as if only positions
 *   {@code 0..n-1} had been appended. Exact methods (full, quantizers that keep every token) can always do
 *   it, though a quantizer must restore what it re-encoded, e.g. a residual window. A method that evicted or
 *   merged may not be able to: it reports so through {@code canTruncate(n)} (typically true only down to
 *   what it has not compressed yet, or down to a checkpoint it chose to keep, such as its state at the end
 *   of prefill) and {@code truncate} then throws {@link java.lang.IllegalStateException} without changing
 *   anything. Sessions rely on this for rollback (the benchmark drops each turn's decoded tokens) and the
 *   prefix cache only shares states it can truncate exactly.</li>
 *   <li><b>Fork.</b> {@code fork()} returns an independent cache; storage is shared copy-on-write (paged
 *   methods share blocks, see {@link io.longkv.kv.block.KvBlock#writable}). Forks may be used on different
 *   threads at once; one cache is used by one thread at a time.</li>
 *   <li><b>Memory.</b> All storage is reserved from the engine's {@link io.longkv.kv.block.BlockPool}, which
 *   enforces the KV memory budget ({@link io.longkv.kv.block.KvMemoryException}); {@code close()} gives it
 *   back. {@code memory()} reports bytes held per tier (hot heap, cold disk); {@code bytesRead()} counts
 *   KV bytes read by attention (metadata included), so the benchmark can divide by attention time.</li>
 *   <li><b>Save / load.</b> {@code save} writes the method's state, {@code load} restores it into an empty
 *   cache of the same spec and model; the session file adds the header, history and checksum.</li>
 * </ul>
 */
package io.longkv.kv;
