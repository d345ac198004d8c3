package io.longkv.engine;

import io.longkv.kv.KvCache;
import io.longkv.model.ForwardBuffers;
import io.longkv.model.Model;
import io.longkv.model.ModelConfig;
import io.longkv.model.Transformer;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A token history and its KV cache. Appending tokens runs them through the model in chunks;
 * later turns continue from where the history ends, so nothing is prefilled twice.
 */
public final class Session {
    private final Engine engine;
    private final Model model;
    private KvCache cache;
    private final ForwardBuffers buffers;
    private final int contextLength;
    private final float[] lastLogits;
    private final int[] oneToken = new int[1];
    private final Transformer.LogitsSink keepLastLogits;
    private int[] tokens = new int[256];
    private int length;

    /** A session on its own engine with the default KV method and budget. */
    public Session(Model model, int contextLength, int chunkSize) {
        this(new Engine(model), contextLength, chunkSize);
    }

    Session(Engine engine, int contextLength, int chunkSize) {
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
        this.cache = engine.newCache();
        this.buffers = new ForwardBuffers(c, chunkSize);
        this.lastLogits = new float[c.vocabSize()];
        this.keepLastLogits = (row, logits, offset) -> System.arraycopy(logits, offset, lastLogits, 0, lastLogits.length);
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
     * Appends tokens; when {@code sink} is given it receives the logits after every appended token
     * (teacher forcing), otherwise only the last row's logits are computed. {@code progress} is told
     * how many tokens are done after each chunk (may be null).
     */
    public void append(int[] newTokens, Transformer.LogitsSink sink, IntConsumer progress) {
        checkFits(newTokens.length);
        if (length + newTokens.length > tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(length + newTokens.length, tokens.length * 2));
        }
        Transformer transformer = model.transformer();
        int vocab = model.config().vocabSize();
        for (int done = 0; done < newTokens.length; ) {
            int count = Math.min(buffers.chunk(), newTokens.length - done);
            int chunkStart = done;
            boolean lastChunk = done + count == newTokens.length;
            Transformer.LogitsSink rowSink = (row, logits, offset) -> {
                if (sink != null) {
                    sink.accept(chunkStart + row, logits, offset);
                }
                if (lastChunk && row == count - 1) {
                    System.arraycopy(logits, offset, lastLogits, 0, vocab);
                }
            };
            transformer.forward(buffers, cache, newTokens, done, count, length, sink != null ? 0 : (lastChunk ? count - 1 : count), rowSink);
            System.arraycopy(newTokens, done, tokens, length, count);
            length += count;
            done += count;
            if (progress != null) {
                progress.accept(done);
            }
        }
    }

    /** Appends one token (a decode step) without allocating; its logits land in {@link #logits()}. */
    public void append(int token) {
        checkFits(1);
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        oneToken[0] = token;
        model.transformer().forward(buffers, cache, oneToken, 0, 1, length, 0, keepLastLogits);
        tokens[length++] = token;
    }

    /** Drops every token from {@code newLength} on (e.g. the tokens decoded in a benchmark turn). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a session of " + length + " tokens to " + newLength);
        }
        cache.truncate(newLength);
        length = newLength;
    }
}
