package io.longkv.cli;

import io.longkv.engine.EngineStats;
import io.longkv.engine.Session;
import io.longkv.kv.KvMemory;
import io.longkv.kv.block.BlockPool;
import java.util.LinkedHashMap;
import java.util.Map;

/** A session's KV figures (method, bytes per tier, traffic, prefix cache) for {@code /stats} and {@code --json}. */
final class KvReport {
    private KvReport() {
    }

    static String text(Session session) {
        KvMemory m = session.cache().memory();
        EngineStats e = session.engine().stats();
        return String.format("KV cache (%s): %s hot, %s cold; %s read by attention%n"
                        + "KV memory: %s of %s budget in use (sessions and cached prefixes)%n"
                        + "prefix cache: %d hits, %d misses, %d tokens reused, %d entries, %d evictions",
                session.cache().spec(), BlockPool.format(m.hot()), BlockPool.format(m.cold()),
                BlockPool.format(session.cache().bytesRead()), BlockPool.format(e.kvBytesUsed()), BlockPool.format(e.kvBytesBudget()),
                e.prefixHits(), e.prefixMisses(), e.reusedTokens(), e.prefixEntries(), e.prefixEvictions());
    }

    static Map<String, Object> json(Session session) {
        KvMemory m = session.cache().memory();
        EngineStats e = session.engine().stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spec", session.cache().spec().toString());
        out.put("hot_bytes", m.hot());
        out.put("cold_bytes", m.cold());
        out.put("bytes_read", session.cache().bytesRead());
        out.put("engine_bytes_used", e.kvBytesUsed());
        out.put("engine_bytes_budget", e.kvBytesBudget());
        out.put("prefix_hits", e.prefixHits());
        out.put("prefix_misses", e.prefixMisses());
        out.put("prefix_reused_tokens", e.reusedTokens());
        out.put("prefix_entries", e.prefixEntries());
        out.put("prefix_evictions", e.prefixEvictions());
        return out;
    }
}
