package io.longkv.engine;

import io.longkv.kv.KvCache;
import io.longkv.model.ForwardBuffers;
import io.longkv.model.Model;
import io.longkv.model.ModelConfig;
import io.longkv.model.Transformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A token history and its KV cache. Appending tokens runs them through the model in chunks; later turns
 * continue from where the history ends, so nothing is prefilled twice. A prompt appended to an empty
 * session starts from the longest prefix the engine's prefix cache holds, and is offered to it afterwards.
 * Not thread-safe; {@link #fork()} gives sessions that may run on other threads.
 */
public final class Session implements AutoCloseable {
    /** A point of a session's history to {@link #rollback} to. */
    public record Checkpoint(Session session, int length, int[] history) {
    }

    private final Engine engine;
    private final Model model;
    private final ForwardBuffers buffers;
    private final int contextLength;
    private final float[] lastLogits;
    private final int[] oneToken = new int[1];
    private final Transformer.LogitsSink keepLastLogits;
    private KvCache cache;
    private int[] tokens;
    private int length;

    /** A session on its own engine with the default KV method and budget. */
    public Session(Model model, int contextLength, int chunkSize) {
        this(new Engine(model), contextLength, chunkSize);
    }

    Session(Engine engine, int contextLength, int chunkSize) {
        this(engine, contextLength, chunkSize, null, new int[256], 0);
    }

    Session(Engine engine, int contextLength, int chunkSize, KvCache cache, int[] tokens, int length) {
        Model model = engine.model();
        ModelConfig c = model.config();
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be positive, got " + contextLength);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
        }
        this.engine = engine;
        this.model = model;
        this.contextLength = contextLength;
        this.buffers = new ForwardBuffers(c, chunkSize);
        this.lastLogits = new float[c.vocabSize()];
        this.keepLastLogits = (row, logits, offset) -> System.arraycopy(logits, offset, lastLogits, 0, lastLogits.length);
        this.cache = cache != null ? cache : engine.newCache();
        this.tokens = tokens;
        this.length = length;
    }

    public Engine engine() {
        return engine;
    }

    public Model model() {
        return model;
    }

    public int length() {
        return length;
    }

    public int contextLength() {
        return contextLength;
    }

    public int[] tokens() {
        return Arrays.copyOf(tokens, length);
    }

    public int token(int index) {
        return tokens[index];
    }

    /** The token ids so far, without copying; valid up to {@link #length()}. */
    int[] history() {
        return tokens;
    }

    public KvCache cache() {
        return cache;
    }

    /** Logits after the last appended token. */
    public float[] logits() {
        return lastLogits;
    }

    /** Fails before any work when {@code more} tokens would not fit in the context. */
    public void checkFits(int more) {
        if ((long) length + more > contextLength) {
            throw new IllegalArgumentException("the prompt needs " + ((long) length + more) + " tokens but the context holds "
                    + contextLength + (length > 0 ? " (" + length + " already used)" : "")
                    + "; shorten it or raise --ctx (the model was trained for " + model.config().contextLength() + ")");
        }
    }

    /** Appends tokens and leaves the logits after the last one in {@link #logits()}. */
    public void append(int[] newTokens) {
        append(newTokens, null, null);
    }

    /**
     * Appends tokens (a prompt); when {@code sink} is given it receives the logits after every appended token
     * (teacher forcing), otherwise only the last row's logits are computed. {@code progress} is told how
     * many tokens are done after each chunk (may be null). Ends with the cache's end-of-prefill hook.
     */
    public void append(int[] newTokens, Transformer.LogitsSink sink, IntConsumer progress) {
        checkFits(newTokens.length);
        ensureCapacity(newTokens.length);
        int done = sink == null && length == 0 ? reusePrefix(newTokens) : 0;
        if (progress != null && done > 0) {
            progress.accept(done);
        }
        int start = length;
        try {
            while (done < newTokens.length) {
                int count = Math.min(buffers.chunk(), newTokens.length - done);
                int chunkStart = done;
                boolean lastChunk = done + count == newTokens.length;
                Transformer.LogitsSink rowSink = (row, logits, offset) -> {
                    if (sink != null) {
                        sink.accept(chunkStart + row, logits, offset);
                    }
                    if (lastChunk && row == count - 1) {
                        System.arraycopy(logits, offset, lastLogits, 0, lastLogits.length);
                    }
                };
                model.transformer().forward(buffers, cache, newTokens, done, count, length,
                        sink != null ? 0 : (lastChunk ? count - 1 : count), rowSink);
                System.arraycopy(newTokens, done, tokens, length, count);
                length += count;
                done += count;
                if (progress != null) {
                    progress.accept(done);
                }
            }
        } catch (RuntimeException e) {
            undo(start);
            throw e;
        }
        engine.offerPrefix(tokens, length, cache);
        cache.endPrefill();
    }

    /** Starts an empty session from the longest cached prefix of {@code prompt} (leaving one token to run). */
    private int reusePrefix(int[] prompt) {
        KvCache reused = engine.reusePrefix(prompt, prompt.length - 1);
        if (reused == null) {
            return 0;
        }
        cache.close();
        cache = reused;
        length = reused.length();
        System.arraycopy(prompt, 0, tokens, 0, length);
        return length;
    }

    /** Appends one token (a decode step) without allocating; its logits land in {@link #logits()}. */
    public void append(int token) {
        checkFits(1);
        ensureCapacity(1);
        oneToken[0] = token;
        try {
            model.transformer().forward(buffers, cache, oneToken, 0, 1, length, 0, keepLastLogits);
        } catch (RuntimeException e) {
            undo(length);
            throw e;
        }
        tokens[length++] = token;
    }

    /** After a failed forward pass (e.g. the memory budget ran out), brings every layer back to {@code start}. */
    private void undo(int start) {
        for (int l = 0; l < cache.layerCount(); l++) {
            if (cache.layer(l).length() > start) {
                cache.layer(l).truncate(start);
            }
        }
        length = start;
    }

    private void ensureCapacity(int more) {
        if (length + more > tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(length + more, tokens.length * 2));
        }
    }

    /** Drops every token from {@code newLength} on (e.g. the tokens decoded in a benchmark turn). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a session of " + length + " tokens to " + newLength);
        }
        cache.truncate(newLength);
        length = newLength;
    }

    /** The current point of the history. */
    public Checkpoint checkpoint() {
        return new Checkpoint(this, length, tokens());
    }

    /** Drops what was appended after {@code checkpoint}; fails if the history before it has changed since. */
    public void rollback(Checkpoint checkpoint) {
        if (checkpoint.session() != this) {
            throw new IllegalArgumentException("the checkpoint belongs to another session");
        }
        int at = checkpoint.length();
        if (at > length || !Arrays.equals(checkpoint.history(), 0, at, tokens, 0, at)) {
            throw new IllegalStateException("the session was truncated or rewritten before the checkpoint at " + at + " tokens");
        }
        truncate(at);
    }

    /**
     * A new session with the same history and logits whose cache shares this one's storage copy-on-write;
     * the two may then be used on different threads.
     */
    public Session fork() {
        Session copy = new Session(engine, contextLength, buffers.chunk(), cache.fork(), tokens.clone(), length);
        System.arraycopy(lastLogits, 0, copy.lastLogits, 0, lastLogits.length);
        return copy;
    }

    /** Writes the history, logits and cache to {@code file} atomically (see {@link SessionFile}). */
    public void save(Path file) throws IOException {
        SessionFile.save(this, file);
    }

    /**
     * Replaces this session's history and cache by a saved one. A file of another model or KV spec, or a
     * truncated or corrupted one, fails with an {@link IOException} and leaves the session as it was.
     */
    public void load(Path file) throws IOException {
        SessionFile.Loaded loaded = SessionFile.load(this, file);
        cache.close();
        cache = loaded.cache();
        tokens = Arrays.copyOf(loaded.tokens(), Math.max(256, loaded.tokens().length));
        length = loaded.tokens().length;
        System.arraycopy(loaded.logits(), 0, lastLogits, 0, lastLogits.length);
    }

    /** Returns the cache's memory to the engine. */
    @Override
    public void close() {
        cache.close();
    }
}
