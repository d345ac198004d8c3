package io.longkv.kv.tailor;

import io.longkv.kv.attention.TopK;
import io.longkv.kv.block.BlockPool;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * TailorKV's channel-wise prefetch for one offloaded layer. Per KV head it keeps the per-channel key magnitudes
 * {@code maxAbs[c] = max_t |k_t[c]|} over the scored prompt tokens; a query picks the {@code channels} channels
 * with the largest {@code |q̄_c| * maxAbs[c]} (q̄ = mean of the head's query group), and the step scores tokens
 * on those channel rows of the prompt keys.
 *
 * <p>The rows are read ahead: after a step, the channels its query picks are read on a background thread into
 * the layer's buffer, speculating that the next step's query picks the same (the paper instead applies the next
 * layer's W_q to the current layer's input, which needs the model inside the cache). When the step comes, it
 * picks its channels from its real query and reads only the rows the buffer lacks. So the choice never depends
 * on the speculation or its timing, which keeps truncation, forks and reloads exact; the counters tell how much
 * the speculation saved. One buffer per layer: the next prefetch starts only after the step used the last.
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
    /** The channel each buffer slot holds, per head ({@code -1}: none). */
    private final int[] held;
    /** The channels of the current pick, per head, ascending. */
    private final int[] picked;
    /** Slots and channels the prefetch under way reads, per head ({@code planned[h]} of them). */
    private final int[] planSlot;
    private final int[] planChannel;
    private final int[] planned;
    /** Rows {@code [head][slot][span]} of the held channels, f16, tokens from {@code fromChunk * chunkTokens}. */
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
        this.held = new int[kvHeads * this.channels];
        this.picked = new int[kvHeads * this.channels];
        this.planSlot = new int[kvHeads * this.channels];
        this.planChannel = new int[kvHeads * this.channels];
        this.planned = new int[kvHeads];
        Arrays.fill(held, -1);
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
        this.held = new int[o.held.length];
        this.picked = new int[o.picked.length];
        this.planSlot = new int[o.planSlot.length];
        this.planChannel = new int[o.planChannel.length];
        this.planned = new int[kvHeads];
        Arrays.fill(held, -1);
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

    /** The {@code j}-th channel (ascending) of the current pick of {@code head}. */
    int channel(int head, int j) {
        return picked[head * channels + j];
    }

    short[] rows() {
        return rows;
    }

    /** Offset in {@link #rows()} of the row of {@code channel}, which the current pick of {@code head} holds. */
    int rowOffset(int head, int channel) {
        for (int slot = 0; slot < channels; slot++) {
            if (held[head * channels + slot] == channel) {
                return (head * channels + slot) * span;
            }
        }
        throw new IllegalStateException("channel " + channel + " of KV head " + head + " is not in the buffer");
    }

    /** After a step: picks channels for its {@code query} (all heads) and reads the rows the buffer lacks in the background. */
    void start(float[] query, int queryOffset) {
        await();
        pick(query, queryOffset);
        int rowsToRead = plan();
        counters.prefetches++;
        counters.bytes += rowsToRead * rowBytes();
        pending = READER.submit(this::readPlanned);
    }

    /**
     * Before a step with query {@code query}: waits for the prefetch under way (a hit when it had finished),
     * picks this query's channels and reads the rows the buffer still lacks.
     */
    void ready(float[] query, int queryOffset) {
        if (pending != null) {
            if (pending.isDone()) {
                counters.hits++;
            }
            long start = System.nanoTime();
            await();
            counters.waitNanos += System.nanoTime() - start;
        }
        pick(query, queryOffset);
        int missing = plan();
        counters.bytes += missing * rowBytes();
        counters.channelRows += (long) kvHeads * channels;
        counters.channelRowsMissed += missing;
        try {
            readPlanned();
        } catch (RuntimeException e) {
            forget();
            throw e;
        }
    }

    /** After a failed read the buffer no longer holds what the plan promised. */
    private void forget() {
        Arrays.fill(held, -1);
        Arrays.fill(planned, 0);
    }

    private long rowBytes() {
        return (long) span * Short.BYTES;
    }

    /**
     * Assigns each picked channel that no slot holds to a slot whose channel was not picked, and returns how
     * many rows that is; {@link #readPlanned} reads them.
     */
    private int plan() {
        int total = 0;
        for (int h = 0; h < kvHeads; h++) {
            int base = h * channels;
            int n = 0;
            int freeSlot = 0;
            for (int j = 0; j < channels; j++) {
                int c = picked[base + j];
                if (slotOf(h, c) >= 0) {
                    continue;
                }
                while (contains(picked, base, held[base + freeSlot])) {
                    freeSlot++;
                }
                held[base + freeSlot] = c;
                planSlot[base + n] = freeSlot;
                planChannel[base + n] = c;
                n++;
                freeSlot++;
            }
            planned[h] = n;
            total += n;
        }
        return total;
    }

    private int slotOf(int head, int channel) {
        for (int slot = 0; slot < channels; slot++) {
            if (held[head * channels + slot] == channel) {
                return slot;
            }
        }
        return -1;
    }

    private boolean contains(int[] list, int base, int value) {
        for (int j = 0; j < channels; j++) {
            if (list[base + j] == value) {
                return true;
            }
        }
        return false;
    }

    private void readPlanned() {
        for (int h = 0; h < kvHeads; h++) {
            for (int i = 0; i < planned[h]; i++) {
                int base = h * channels;
                prompt.channel(h, planChannel[base + i], fromChunk, toChunk, rows, (base + planSlot[base + i]) * span);
            }
            planned[h] = 0;
        }
    }

    /** Waits for the prefetch under way, if any; its failure (a damaged cold tier) is rethrown here. */
    private void await() {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (ExecutionException e) {
            forget();
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
