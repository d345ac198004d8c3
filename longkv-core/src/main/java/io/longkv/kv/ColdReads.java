package io.longkv.kv;

/**
 * Traffic of a cold tier (a method that keeps part of the cache on disk), summed over steps.
 *
 * @param bytes bytes read back from the cold tier
 * @param steps decode steps that read it
 * @param prefetches background reads started ahead of the step that needs them
 * @param prefetchHits prefetches already complete when their step needed them
 * @param waitNanos time steps spent waiting for a prefetch still under way
 */
public record ColdReads(long bytes, long steps, long prefetches, long prefetchHits, long waitNanos) {
    public static final ColdReads NONE = new ColdReads(0, 0, 0, 0, 0);

    public ColdReads plus(ColdReads o) {
        return new ColdReads(bytes + o.bytes, steps + o.steps, prefetches + o.prefetches, prefetchHits + o.prefetchHits,
                waitNanos + o.waitNanos);
    }

    public ColdReads minus(ColdReads o) {
        return new ColdReads(bytes - o.bytes, steps - o.steps, prefetches - o.prefetches, prefetchHits - o.prefetchHits,
                waitNanos - o.waitNanos);
    }

    /** Fraction of prefetches ready in time (0 when there were none). */
    public double hitRate() {
        return prefetches == 0 ? 0 : (double) prefetchHits / prefetches;
    }
}
