package io.longkv.kv.block;

/** The engine's KV memory budget cannot hold what a cache needs, even after evicting unused prefix-cache entries. */
public final class KvMemoryException extends IllegalStateException {
    public KvMemoryException(long needed, long used, long budget) {
        super(String.format("KV memory budget exhausted: %s more needed, %s of %s in use (nothing left to evict);"
                + " raise --kv-memory, shorten the context or use a smaller KV method", BlockPool.format(needed),
                BlockPool.format(used), BlockPool.format(budget)));
    }
}
