package io.longkv.kv.tailor;

import io.longkv.kv.ColdReads;

/** One layer's running cold-tier counters (updated on the thread that drives the cache). */
final class ColdCounters {
    long bytes;
    long steps;
    long prefetches;
    long hits;
    long waitNanos;
    long channelRows;
    long channelRowsMissed;

    ColdReads snapshot() {
        return new ColdReads(bytes, steps, prefetches, hits, waitNanos, channelRows, channelRowsMissed);
    }

    ColdCounters copy() {
        ColdCounters c = new ColdCounters();
        c.bytes = bytes;
        c.steps = steps;
        c.prefetches = prefetches;
        c.hits = hits;
        c.waitNanos = waitNanos;
        c.channelRows = channelRows;
        c.channelRowsMissed = channelRowsMissed;
        return c;
    }
}
