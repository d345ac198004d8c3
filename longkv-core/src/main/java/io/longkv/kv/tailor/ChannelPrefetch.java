package io.longkv.kv.tailor;

import io.longkv.kv.attention.TopK;
import io.longkv.kv.block.BlockPool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * TailorKV's channel-wise prefetch for one offloaded layer. Per KV head it keeps the per-channel key magnitudes
 * {@code maxAbs[c] = max_t |k_t[c]|} over the scored prompt tokens; from a speculative query it picks the
 * {@code channels} channels with the largest {@code |q̄_c| * maxAbs[c]} (q̄ = mean of the head's query group)
 * and reads those channel rows of the prompt keys from the cold tier on a background thread. The step that
 * follows scores tokens on them with its real query.
 *
 * <p>The speculative query is this layer's query of the previous step (the paper applies the next layer's
 * W_q to the current layer's input, which needs the model inside the cache). One buffer per layer: its next
 * prefetch starts only after its step consumed the last, so reader and writer never overlap.
 */
final class ChannelPrefetch implements AutoCloseable {
    private static final ExecutorService READER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tailor-prefetch");
        t.setDaemon(true);
        return t;
    });

    private final PromptStore prompt;
    private final BlockPool pool;
    private final ColdCounters counters;
    private final int kvHeads;
    private final int group;
    private final int headDim;
    private final int channels;
    private final int fromChunk;
    private final int toChunk;
    private final int span;
    private final float[] maxAbs;
    /** Channel ids picked for the rows in {@link #rows}, per head. */
    private final int[] picked;
    /** Rows {@code [head][j][span]} of the picked channels, f16, tokens from {@code fromChunk * chunkTokens}. */
    private final short[] rows;
    private final float[] mean;
    private final float[] selectTmp;
    private final int[] selected;
    private Future<?> pending;

    /** Channel magnitudes over prompt tokens {@code [from, to)}, which the rows cover. */
    ChannelPrefetch(PromptStore prompt, BlockPool pool, ColdCounters counters, int heads, int kvHeads, int headDim, int channels,
                    int from, int to) {
        this.prompt = prompt;
        this.pool = pool;
        this.counters = counters;
        this.kvHeads = kvHeads;
        this.group = heads / kvHeads;
        this.headDim = headDim;
        this.channels = Math.min(channels, headDim);
        this.fromChunk = from / prompt.chunkTokens();
        this.toChunk = Math.max(fromChunk, (to + prompt.chunkTokens() - 1) / prompt.chunkTokens());
        this.span = (toChunk - fromChunk) * prompt.chunkTokens();
        pool.reserve(bytes());
        this.maxAbs = new float[kvHeads * headDim];
        this.picked = new int[kvHeads * this.channels];
        this.rows = new short[kvHeads * this.channels * span];
        this.mean = new float[headDim];
        this.selectTmp = new float[headDim];
        this.selected = new int[headDim];
        float[] keys = new float[headDim * prompt.chunkTokens()];
        for (int h = 0; h < kvHeads; h++) {
            for (int t = from; t < to; t += prompt.chunkTokens()) {
                int n = Math.min(prompt.chunkTokens(), to - t);
                prompt.read(true, h, t, t + n, keys, 0);
                for (int i = 0; i < n * headDim; i++) {
                    int c = h * headDim + i % headDim;
                    maxAbs[c] = Math.max(maxAbs[c], Math.abs(keys[i]));
                }
            }
        }
    }

    /** A fresh prefetcher for a fork reading {@code forkPrompt} (which shares these chunks): same magnitudes, nothing pending. */
    private ChannelPrefetch(ChannelPrefetch o, PromptStore forkPrompt, ColdCounters forkCounters) {
        this.prompt = forkPrompt;
        this.pool = o.pool;
        this.counters = forkCounters;
        this.kvHeads = o.kvHeads;
        this.group = o.group;
        this.headDim = o.headDim;
        this.channels = o.channels;
        this.fromChunk = o.fromChunk;
        this.toChunk = o.toChunk;
        this.span = o.span;
        pool.reserve(bytes());
        this.maxAbs = o.maxAbs;
        this.picked = new int[o.picked.length];
        this.rows = new short[o.rows.length];
        this.mean = new float[headDim];
        this.selectTmp = new float[headDim];
        this.selected = new int[headDim];
    }

    ChannelPrefetch fork(PromptStore forkPrompt, ColdCounters forkCounters) {
        return new ChannelPrefetch(this, forkPrompt, forkCounters);
    }

    /** Hot bytes: the magnitudes and the row buffer. */
    long bytes() {
        return (long) kvHeads * headDim * Float.BYTES + (long) kvHeads * channels * (span * Short.BYTES + Integer.BYTES);
    }

    /** First prompt token the rows hold. */
    int firstToken() {
        return fromChunk * prompt.chunkTokens();
    }

    int channels() {
        return channels;
    }

    /** The channel of row {@code j} of {@code head}. */
    int channel(int head, int j) {
        return picked[head * channels + j];
    }

    short[] rows() {
        return rows;
    }

    /** Offset of row {@code j} of {@code head} in {@link #rows()}. */
    int rowOffset(int head, int j) {
        return (head * channels + j) * span;
    }

    /** Picks channels for {@code query} (all heads) and starts reading their rows in the background. */
    void start(float[] query, int queryOffset) {
        await();
        pick(query, queryOffset);
        counters.prefetches++;
        pending = READER.submit(this::readRows);
    }

    /**
     * Makes the rows ready for a step with query {@code query}: those of the prefetch under way (counted as a
     * hit when it already finished), or, with none, rows picked from this query and read now.
     */
    void ready(float[] query, int queryOffset) {
        if (pending == null) {
            pick(query, queryOffset);
            readRows();
        } else {
            if (pending.isDone()) {
                counters.hits++;
            }
            long start = System.nanoTime();
            await();
            counters.waitNanos += System.nanoTime() - start;
        }
        counters.bytes += (long) kvHeads * channels * span * Short.BYTES;
    }

    /** Waits for the prefetch under way, if any; its failure (a damaged cold tier) is rethrown here. */
    private void await() {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ColdTierException("cold-tier prefetch failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ColdTierException("interrupted while waiting for a cold-tier prefetch", e);
        } finally {
            pending = null;
        }
    }

    private void pick(float[] query, int queryOffset) {
        for (int h = 0; h < kvHeads; h++) {
            TailorMath.groupMean(query, queryOffset + h * group * headDim, group, headDim, mean);
            for (int c = 0; c < headDim; c++) {
                mean[c] = Math.abs(mean[c]) * maxAbs[h * headDim + c];
            }
            TopK.indices(mean, 0, headDim, channels, selectTmp, selected);
            System.arraycopy(selected, 0, picked, h * channels, channels);
        }
    }

    private void readRows() {
        for (int h = 0; h < kvHeads; h++) {
            for (int j = 0; j < channels; j++) {
                prompt.channel(h, picked[h * channels + j], fromChunk, toChunk, rows, rowOffset(h, j));
            }
        }
    }

    /** Waits for any prefetch under way (its result is dropped) and returns the buffer to the pool. */
    @Override
    public void close() {
        try {
            await();
        } catch (RuntimeException e) {
            // The prefetch's failure belongs to a step that will not run; closing must still free the buffer.
        }
        pool.release(bytes());
    }
}
