package io.longkv.kv.tailor;

import io.longkv.kv.attention.AttentionMath;
import io.longkv.kv.attention.KvRuns;
import io.longkv.kv.block.BlockPool;
import io.longkv.tensor.VectorMath;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One layer's prompt tokens at f16 in the cold tier: whole chunks ({@link ChunkLayout}) in a {@link ColdFile},
 * the chunk being filled in a hot staging buffer of the same layout. Prefill attends densely over it
 * ({@link #runs()}); after the prompt the decode path reads channel rows and single token rows back, checking
 * each against its checksum. Forks share the written chunks read-only and copy the staging buffer; a cache
 * appends only to its own file (created when it first writes).
 */
final class PromptStore implements AutoCloseable {
    /** Longest run the dense kernels walk (divides the chunk). */
    private static final int RUN = 32;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        short[] halves = new short[0];
        byte[] bytes = new byte[0];
        final CRC32C crc = new CRC32C();

        short[] halves(int n) {
            if (halves.length < n) {
                halves = new short[n];
            }
            return halves;
        }

        byte[] bytes(int n) {
            if (bytes.length < n) {
                bytes = new byte[n];
            }
            return bytes;
        }
    }

    /** A written chunk: its mapping and the file holding it. */
    private record Chunk(ColdFile file, MemorySegment data, int tokens) {
    }

    private final BlockPool pool;
    private final Path directory;
    private final String label;
    private final boolean removeDirectory;
    private final ChunkLayout layout;
    private final int chunkTokens;
    private final int kvHeads;
    private final int headDim;
    private final List<Chunk> chunks;
    private ColdFile own;
    private MemorySegment staging;
    private int staged;
    private final Runs runs = new Runs();

    /** @param removeDirectory whether {@code directory} goes with its last file (see {@link ColdFile#create}) */
    PromptStore(BlockPool pool, Path directory, boolean removeDirectory, String label, int chunkTokens, int kvHeads, int headDim) {
        this(pool, directory, removeDirectory, label, new ChunkLayout(chunkTokens, kvHeads, headDim), new ArrayList<>());
    }

    private PromptStore(BlockPool pool, Path directory, boolean removeDirectory, String label, ChunkLayout layout, List<Chunk> chunks) {
        if (layout.tokens() % RUN != 0) {
            throw new IllegalArgumentException("cold-tier chunks must hold a multiple of " + RUN + " tokens, got " + layout.tokens());
        }
        this.pool = pool;
        this.directory = directory;
        this.label = label;
        this.removeDirectory = removeDirectory;
        this.layout = layout;
        this.chunkTokens = layout.tokens();
        this.kvHeads = layout.kvHeads();
        this.headDim = layout.headDim();
        this.chunks = chunks;
    }

    /** Tokens held (written chunks plus staged). */
    int length() {
        return chunks.isEmpty() ? staged : (chunks.size() - 1) * chunkTokens + chunks.getLast().tokens() + staged;
    }

    int chunkTokens() {
        return chunkTokens;
    }

    /** Appends rows (kvHeads * headDim floats per token) at {@link #length()}. */
    void append(float[] keys, float[] values, int tokens) {
        reopenPartialChunk();
        short[] row = SCRATCH.get().halves(headDim);
        for (int i = 0; i < tokens; i++) {
            if (staging == null) {
                pool.reserve(layout.bytes());
                staging = MemorySegment.ofArray(new byte[(int) layout.bytes()]);
            }
            for (int h = 0; h < kvHeads; h++) {
                int from = (i * kvHeads + h) * headDim;
                VectorMath.f32ToF16(keys, from, row, 0, headDim);
                MemorySegment.copy(row, 0, staging, ValueLayout.JAVA_SHORT_UNALIGNED, layout.keyRow(h, staged), headDim);
                VectorMath.f32ToF16(values, from, row, 0, headDim);
                MemorySegment.copy(row, 0, staging, ValueLayout.JAVA_SHORT_UNALIGNED, layout.valueRow(h, staged), headDim);
            }
            if (++staged == chunkTokens) {
                flush();
            }
        }
    }

    /** Writes the staged tokens as a (possibly partial) chunk, so the whole prompt is in the cold tier. */
    void seal() {
        if (staged > 0) {
            flush();
        }
    }

    /** Adds the channel-major keys and the checksums to the staging chunk and writes it to this cache's file. */
    private void flush() {
        int chunk = chunks.size();
        short[] keys = SCRATCH.get().halves(chunkTokens * headDim);
        short[] channel = new short[chunkTokens];
        for (int h = 0; h < kvHeads; h++) {
            MemorySegment.copy(staging, ValueLayout.JAVA_SHORT_UNALIGNED, layout.keyRow(h, 0), keys, 0, chunkTokens * headDim);
            for (int c = 0; c < headDim; c++) {
                for (int t = 0; t < chunkTokens; t++) {
                    channel[t] = keys[t * headDim + c];
                }
                MemorySegment.copy(channel, 0, staging, ValueLayout.JAVA_SHORT_UNALIGNED, layout.channelRow(h, c), chunkTokens);
                sign(chunk, ChunkLayout.CHANNEL, h, c, layout.channelRow(h, c), layout.channelBytes());
            }
            for (int t = 0; t < chunkTokens; t++) {
                sign(chunk, ChunkLayout.KEY, h, t, layout.keyRow(h, t), layout.rowBytes());
                sign(chunk, ChunkLayout.VALUE, h, t, layout.valueRow(h, t), layout.rowBytes());
            }
        }
        if (own == null) {
            own = ColdFile.create(directory, label, removeDirectory);
        }
        MemorySegment written = own.append(staging); // before retaining: a failed write (disk full) must not leak a reference
        chunks.add(new Chunk(own.retain(), written, staged));
        pool.release(layout.bytes());
        staging = null;
        staged = 0;
    }

    private void sign(int chunk, int kind, int head, int row, long offset, int bytes) {
        CRC32C crc = SCRATCH.get().crc;
        crc.reset();
        crc.update(staging.asSlice(offset, bytes).asByteBuffer());
        staging.set(ValueLayout.JAVA_INT_UNALIGNED, layout.checksum(kind, head, row), (int) crc.getValue() ^ ChunkLayout.tag(chunk, kind, head, row));
    }

    /** Appending after a partial chunk (a sealed prompt cut back, then grown): its tokens go back to staging. */
    private void reopenPartialChunk() {
        if (staged == 0 && !chunks.isEmpty() && chunks.getLast().tokens() < chunkTokens) {
            restage(chunks.size() - 1, chunks.getLast().tokens());
        }
    }

    /** Drops chunks from {@code chunk} on, staging the first {@code tokens} tokens of it. */
    private void restage(int chunk, int tokens) {
        Chunk source = chunks.get(chunk);
        pool.reserve(layout.bytes());
        staging = MemorySegment.ofArray(new byte[(int) layout.bytes()]);
        for (int h = 0; h < kvHeads; h++) {
            MemorySegment.copy(source.data(), layout.keyRow(h, 0), staging, layout.keyRow(h, 0), (long) tokens * layout.rowBytes());
            MemorySegment.copy(source.data(), layout.valueRow(h, 0), staging, layout.valueRow(h, 0), (long) tokens * layout.rowBytes());
        }
        staged = tokens;
        dropChunksFrom(chunk);
    }

    private void dropChunksFrom(int chunk) {
        while (chunks.size() > chunk) {
            chunks.removeLast().file().release();
        }
    }

    /** Drops every token from {@code newLength} on. */
    void truncate(int newLength) {
        if (newLength < 0 || newLength > length()) {
            throw new IllegalArgumentException("cannot truncate a prompt store of " + length() + " tokens to " + newLength);
        }
        int written = length() - staged;
        if (newLength >= written) {
            staged = newLength - written;
            return;
        }
        releaseStaging();
        int chunk = newLength / chunkTokens;
        if (newLength % chunkTokens == 0) {
            dropChunksFrom(chunk);
        } else {
            restage(chunk, newLength % chunkTokens);
        }
    }

    /** Keys or values of {@code head} for tokens {@code [from, to)} as float rows, unchecked (prefill reads what it just wrote). */
    void read(boolean keys, int head, int from, int to, float[] dst, int dstOffset) {
        short[] halves = SCRATCH.get().halves(RUN * headDim);
        for (int t = from; t < to; ) {
            int end = Math.min(to, Math.min((t / RUN + 1) * RUN, t + RUN));
            MemorySegment data = chunkData(t);
            int row = t % chunkTokens;
            long offset = keys ? layout.keyRow(head, row) : layout.valueRow(head, row);
            MemorySegment.copy(data, ValueLayout.JAVA_SHORT_UNALIGNED, offset, halves, 0, (end - t) * headDim);
            VectorMath.f16ToF32(halves, 0, dst, dstOffset + (t - from) * headDim, (end - t) * headDim);
            t = end;
        }
    }

    /**
     * The key and value rows of {@code head} at prompt positions {@code positions[0 .. count)} (written chunks
     * only), checked, into rows {@code 0 .. count} of {@code keys} and {@code values}.
     */
    void gather(int head, int[] positions, int count, float[] keys, float[] values) {
        for (int i = 0; i < count; i++) {
            int t = positions[i];
            int chunk = t / chunkTokens;
            int row = t % chunkTokens;
            MemorySegment data = chunks.get(chunk).data();
            checkedRow(data, chunk, ChunkLayout.KEY, head, row, layout.keyRow(head, row), headDim, keys, i * headDim);
            checkedRow(data, chunk, ChunkLayout.VALUE, head, row, layout.valueRow(head, row), headDim, values, i * headDim);
        }
    }

    /** Channel {@code channel} of {@code head}'s keys for every token of written chunks {@code [fromChunk, toChunk)}, checked, as f16. */
    void channel(int head, int channel, int fromChunk, int toChunk, short[] dst, int dstOffset) {
        for (int chunk = fromChunk; chunk < toChunk; chunk++) {
            MemorySegment data = chunks.get(chunk).data();
            long offset = layout.channelRow(head, channel);
            verify(data, chunk, ChunkLayout.CHANNEL, head, channel, offset, layout.channelBytes());
            MemorySegment.copy(data, ValueLayout.JAVA_SHORT_UNALIGNED, offset, dst, dstOffset + (chunk - fromChunk) * chunkTokens,
                    chunkTokens);
        }
    }

    private void checkedRow(MemorySegment data, int chunk, int kind, int head, int row, long offset, int n, float[] dst, int dstOffset) {
        verify(data, chunk, kind, head, row, offset, 2 * n);
        short[] halves = SCRATCH.get().halves(n);
        MemorySegment.copy(data, ValueLayout.JAVA_SHORT_UNALIGNED, offset, halves, 0, n);
        VectorMath.f16ToF32(halves, 0, dst, dstOffset, n);
    }

    private void verify(MemorySegment data, int chunk, int kind, int head, int row, long offset, int bytes) {
        Scratch s = SCRATCH.get();
        byte[] copy = s.bytes(bytes);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, copy, 0, bytes);
        s.crc.reset();
        s.crc.update(copy, 0, bytes);
        int expected = data.get(ValueLayout.JAVA_INT_UNALIGNED, layout.checksum(kind, head, row)) ^ ChunkLayout.tag(chunk, kind, head, row);
        if ((int) s.crc.getValue() != expected) {
            throw new ColdTierException("the cold-tier file " + chunks.get(chunk).file().path() + " is corrupted: "
                    + List.of("key", "value", "channel").get(kind) + " row " + row + " of KV head " + head + " in chunk "
                    + chunk + " does not match its checksum");
        }
    }

    /** Fails with a {@link ColdTierException} when a file this store reads was deleted or cut. */
    void checkFiles() {
        ColdFile last = null;
        for (Chunk c : chunks) {
            if (c.file() != last) {
                last = c.file();
                last.check();
            }
        }
    }

    private MemorySegment chunkData(int token) {
        int chunk = token / chunkTokens;
        return chunk < chunks.size() ? chunks.get(chunk).data() : staging;
    }

    /** Dense attention over every token ({@link io.longkv.kv.attention.PagedAttention} walks it). */
    KvRuns runs() {
        return runs;
    }

    /** Bytes in the cold tier. */
    long coldBytes() {
        return chunks.size() * layout.bytes();
    }

    /** Bytes of the staging chunk (hot). */
    long hotBytes() {
        return staging == null ? 0 : layout.bytes();
    }

    /** Bytes of {@code tokens} key-and-value rows of every head as stored. */
    long rowBytes(long tokens) {
        return tokens * kvHeads * 2L * layout.rowBytes();
    }

    PromptStore fork() {
        List<Chunk> shared = new ArrayList<>(chunks.size());
        for (Chunk c : chunks) {
            shared.add(new Chunk(c.file().retain(), c.data(), c.tokens()));
        }
        PromptStore copy = new PromptStore(pool, directory, removeDirectory, label, layout, shared);
        if (staging != null) {
            pool.reserve(layout.bytes());
            copy.staging = MemorySegment.ofArray(staging.toArray(ValueLayout.JAVA_BYTE));
            copy.staged = staged;
        }
        return copy;
    }

    private void releaseStaging() {
        if (staging != null) {
            pool.release(layout.bytes());
            staging = null;
        }
        staged = 0;
    }

    @Override
    public void close() {
        releaseStaging();
        dropChunksFrom(0);
        if (own != null) {
            own.release();
            own = null;
        }
    }

    /** Slots are prompt positions; runs never cross a chunk. */
    private final class Runs implements KvRuns {
        @Override
        public int maxRun() {
            return RUN;
        }

        @Override
        public int runEnd(int from, int limit) {
            return Math.min(limit, (from / RUN + 1) * RUN);
        }

        @Override
        public void scores(int kvHead, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch) {
            read(true, kvHead, from, to, scratch, 0);
            AttentionMath.scores(scratch, 0, to - from, headDim, q, rows, scores, stride);
        }

        @Override
        public void accumulate(int kvHead, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch) {
            read(false, kvHead, from, to, scratch, 0);
            AttentionMath.accumulate(scratch, 0, to - from, headDim, p, stride, rows, acc);
        }
    }
}
