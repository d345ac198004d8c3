package io.longkv.kv;

import java.io.DataInput;
import java.io.DataOutput;

/**
 * Base of wrapper caches that drive one prompt through an inner cache and watch or extend what it does (a
 * profiling probe, a fill shared by several caches). They live for that prompt only: their length, memory,
 * traffic and storage are the inner cache's, and they refuse to truncate, fork or save (so the prefix cache
 * never takes them).
 */
public abstract class OnePromptCache implements LayerKvCache {
    protected final LayerKvCache inner;
    private final String refusal;

    /** @param what how the refusals name this cache ("a profiling probe", ...) */
    protected OnePromptCache(LayerKvCache inner, String what) {
        this.inner = inner;
        this.refusal = what + " runs one prompt";
    }

    @Override
    public int length() {
        return inner.length();
    }

    @Override
    public boolean canTruncate(int length) {
        return false;
    }

    @Override
    public void truncate(int length) {
        throw new UnsupportedOperationException(refusal);
    }

    @Override
    public LayerKvCache fork() {
        throw new UnsupportedOperationException(refusal);
    }

    @Override
    public KvMemory memory() {
        return inner.memory();
    }

    @Override
    public long bytesRead() {
        return inner.bytesRead();
    }

    @Override
    public void save(DataOutput out) {
        throw new UnsupportedOperationException(refusal);
    }

    @Override
    public void load(DataInput in) {
        throw new UnsupportedOperationException(refusal);
    }

    @Override
    public void close() {
        inner.close();
    }
}
