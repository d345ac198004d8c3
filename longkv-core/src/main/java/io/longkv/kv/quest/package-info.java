/**
 * Quest (arXiv 2406.10774): query-aware page selection, spec
 * {@code quest:page=16,budget=1024,sinks=16,recent=16,dense-layers=2,select=head|group,dtype=f32|f16|q8_0}.
 *
 * <h2>Algorithm</h2>
 * Every token is kept in paged blocks ({@code dtype}, as {@code full}); per page of {@code page} tokens and KV
 * head, the per-channel min and max of its keys are kept incrementally (a second f32 block table, one slot per
 * page). A decode step always attends the pages holding the first {@code sinks} and the last {@code recent} tokens
 * (the last page is the current, possibly partial one), scores every page between them by
 * {@code U_p = sum_c max(q_c min_c, q_c max_c)}, which bounds q.k for every key of the page, keeps the best up to
 * {@code budget / page} pages in all, and runs exact softmax over the selected tokens only (the kernel path of the
 * reference: quest/utils/controller.py, whose forced last page is {@code recent=16}). When the context has at most
 * {@code budget / page} pages everything is attended.
 * Prefill is dense; the first {@code dense-layers} layers, by real layer index, are always dense.
 *
 * <h2>Adaptations</h2>
 * <ul>
 *   <li>Sink pages ({@code sinks=16}, one page, by default; the paper has none: {@code sinks=0}). On the default
 *   model at 8K (budget 1024) the paper's selection costs +12.5% perplexity, and forcing the first page, which holds
 *   the attention sink, brings that to +2.7% (more recent pages instead: no gain). So the bound, an upper bound that
 *   is loose for every page, does not pick the sink page when it matters. Choosing pages by their true attention
 *   mass (an oracle, no sinks) gives +1.8%. Measured with {@code bench fidelity}; figures in the README.</li>
 *   <li>GQA (the reference kernels are MHA only): {@code select=head} (default) is faithful to the eval path that
 *   repeats KV: each query head picks its own pages; the KV head reads their union once and masks each page to
 *   the heads that chose it (up to g x budget tokens read per KV head). {@code select=group} sums the group's
 *   bounds and reads at most budget tokens per KV head (not in the paper).</li>
 *   <li>Bounds are taken from the stored keys (after f16/q8_0 rounding), so they bound what attention reads.</li>
 *   <li>Not the accuracy-eval path (max(3, B / S) pages, no forced last page, masked dense attention).</li>
 * </ul>
 *
 * <h2>Truncation, forks, memory</h2>
 * Everything is kept, so truncation is exact (a page cut in two has its bounds rebuilt from its remaining
 * keys). Forks share token blocks and bound blocks copy-on-write. {@code memory()} counts both tables;
 * {@code bytesRead()} counts the bounds scored plus the selected pages' keys and values (dense steps: every
 * token).
 */
package io.longkv.kv.quest;
