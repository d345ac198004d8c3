package io.longkv.kv;

/**
 * Bytes held by a cache per tier.
 *
 * @param hot bytes in memory (the JVM heap)
 * @param cold bytes in a slower tier (a file on disk) read back on demand
 */
public record KvMemory(long hot, long cold) {
    public static final KvMemory NONE = new KvMemory(0, 0);

    public KvMemory plus(KvMemory other) {
        return new KvMemory(hot + other.hot, cold + other.cold);
    }

    public long total() {
        return hot + cold;
    }
}
