package io.longkv.kv.tailor;

import io.longkv.kv.ColdReads;

/** One layer's running cold-tier counters (updated on the thread that drives the cache). */
final class ColdCounters {
    long bytes;
    long steps;
    long prefetches;
    long hits;
    long waitNanos;

    ColdReads snapshot() {
        return new ColdReads(bytes, steps, prefetches, hits, waitNanos);
    }

    ColdCounters copy() {
        ColdCounters c = new ColdCounters();
        c.bytes = bytes;
        c.steps = steps;
        c.prefetches = prefetches;
        c.hits = hits;
        c.waitNanos = waitNanos;
        return c;
    }
}
