package io.longkv.kv;

/**
 * Traffic of a cold tier (a method that keeps part of the cache on disk), summed over steps.
 *
 * @param bytes bytes read back from the cold tier
 * @param steps decode steps that read it
 * @param prefetches background reads started ahead of the step that needs them
 * @param prefetchHits prefetches already complete when their step needed them
 * @param waitNanos time steps spent waiting for a prefetch still under way
 * @param neededRows rows steps needed that could have been prefetched (TailorKV: channel rows)
 * @param missedRows of those, rows the prefetch had not brought and the step read itself
 */
public record ColdReads(long bytes, long steps, long prefetches, long prefetchHits, long waitNanos, long neededRows,
                        long missedRows) {
    public static final ColdReads NONE = new ColdReads(0, 0, 0, 0, 0, 0, 0);

    public ColdReads plus(ColdReads o) {
        return new ColdReads(bytes + o.bytes, steps + o.steps, prefetches + o.prefetches, prefetchHits + o.prefetchHits,
                waitNanos + o.waitNanos, neededRows + o.neededRows, missedRows + o.missedRows);
    }

    public ColdReads minus(ColdReads o) {
        return new ColdReads(bytes - o.bytes, steps - o.steps, prefetches - o.prefetches, prefetchHits - o.prefetchHits,
                waitNanos - o.waitNanos, neededRows - o.neededRows, missedRows - o.missedRows);
    }

    /** Fraction of needed rows the prefetch had already brought (0 when none were needed). */
    public double rowHitRate() {
        return neededRows == 0 ? 0 : 1 - (double) missedRows / neededRows;
    }

    /** Fraction of prefetches ready in time (0 when there were none). */
    public double hitRate() {
        return prefetches == 0 ? 0 : (double) prefetchHits / prefetches;
    }
}
