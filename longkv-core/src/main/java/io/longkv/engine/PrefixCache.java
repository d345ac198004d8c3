package io.longkv.engine;

import io.longkv.kv.KvCache;
import io.longkv.kv.block.BlockPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A radix tree over token blocks (as SGLang's RadixAttention) shared by the sessions of an engine. Edges
 * are runs of whole blocks; a node may hold a forked cache state covering exactly the tokens from the root
 * to it, sharing its blocks copy-on-write with the session it came from, so an entry costs no KV memory
 * until that session moves on. A lookup walks the longest run of matching blocks and forks a state at or
 * below the point reached, truncated to it. States are evicted least-recently-used when the block pool
 * needs room; evicting only drops the entry's references, so a block some session still uses stays.
 * Thread-safe.
 */
final class PrefixCache {
    /** Counters for {@code /stats} and {@code --json}. */
    record Stats(long hits, long misses, long reusedTokens, int entries, long evictions) {
    }

    private static final class Node {
        int[] edge;
        Node parent;
        final List<Node> children = new ArrayList<>();
        KvCache state;
        long lastUsed;

        Node(int[] edge, Node parent) {
            this.edge = edge;
            this.parent = parent;
        }
    }

    private final int blockTokens;
    private final BlockPool pool;
    private final Node root = new Node(new int[0], null);
    private long clock;
    private long hits;
    private long misses;
    private long reusedTokens;
    private long evictions;
    private int entries;

    PrefixCache(BlockPool pool) {
        this.pool = pool;
        this.blockTokens = pool.blockTokens();
        pool.setEvictor(this::evict);
    }

    /** Where a walk stopped: {@code matched} tokens, ending inside {@code next}'s edge or at {@code node}. */
    private record Walk(Node node, Node next, int matched, int edgeMatched) {
    }

    /** Follows whole matching blocks of {@code tokens[0, limit)}. */
    private Walk walk(int[] tokens, int limit) {
        Node node = root;
        int pos = 0;
        while (true) {
            Node next = child(node, tokens, pos, limit);
            if (next == null) {
                return new Walk(node, null, pos, 0);
            }
            int m = 0;
            while (m < next.edge.length && pos + m + blockTokens <= limit
                    && Arrays.equals(next.edge, m, m + blockTokens, tokens, pos + m, pos + m + blockTokens)) {
                m += blockTokens;
            }
            if (m < next.edge.length) {
                return new Walk(node, next, pos + m, m);
            }
            node = next;
            pos += m;
        }
    }

    private Node child(Node node, int[] tokens, int pos, int limit) {
        if (pos + blockTokens > limit) {
            return null;
        }
        for (Node c : node.children) {
            if (Arrays.equals(c.edge, 0, blockTokens, tokens, pos, pos + blockTokens)) {
                return c;
            }
        }
        return null;
    }

    /**
     * A fork of the cached state covering the longest cached prefix of {@code tokens[0, limit)} (in whole
     * blocks), or null on a miss. The caller owns the returned cache.
     */
    synchronized KvCache lookup(int[] tokens, int limit) {
        Walk w = walk(tokens, limit);
        Node source = stateBelow(w.next != null ? w.next : w.node);
        KvCache reused = null;
        if (w.matched > 0 && source != null && source.state.canTruncate(w.matched)) {
            reused = source.state.fork();
            reused.truncate(w.matched);
            source.lastUsed = ++clock;
        }
        if (reused == null) {
            misses++;
        } else {
            hits++;
            reusedTokens += w.matched;
        }
        return reused;
    }

    /** A node holding a state at or below {@code node}: every state below covers node's prefix. */
    private static Node stateBelow(Node node) {
        if (node.state != null) {
            return node;
        }
        for (Node c : node.children) {
            Node found = stateBelow(c);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Remembers the first {@code length} tokens' state of {@code cache} (rounded down to whole blocks). */
    synchronized void insert(int[] tokens, int length, KvCache cache) {
        int aligned = length / blockTokens * blockTokens;
        if (aligned == 0 || !cache.canTruncate(aligned)) {
            return;
        }
        Walk w = walk(tokens, aligned);
        Node node = w.node;
        if (w.next != null) {
            node = split(w.next, w.edgeMatched);
        }
        if (w.matched < aligned) {
            Node leaf = new Node(Arrays.copyOfRange(tokens, w.matched, aligned), node);
            node.children.add(leaf);
            node = leaf;
        }
        if (node.state == null && node.children.isEmpty()) {
            KvCache state = cache.fork();
            state.truncate(aligned);
            node.state = state;
            entries++;
        }
        node.lastUsed = ++clock;
    }

    /** Cuts {@code node}'s edge after {@code at} tokens; returns the new node in between. */
    private static Node split(Node node, int at) {
        Node middle = new Node(Arrays.copyOfRange(node.edge, 0, at), node.parent);
        node.parent.children.set(node.parent.children.indexOf(node), middle);
        node.edge = Arrays.copyOfRange(node.edge, at, node.edge.length);
        node.parent = middle;
        middle.children.add(node);
        return middle;
    }

    /** Drops least-recently-used states until {@code wanted} bytes returned to the pool; returns the bytes freed. */
    synchronized long evict(long wanted) {
        List<Node> holders = new ArrayList<>();
        collect(root, holders);
        holders.sort(Comparator.comparingLong(n -> n.lastUsed));
        long freed = 0;
        for (Node n : holders) {
            if (freed >= wanted) {
                break;
            }
            long before = pool.used();
            n.state.close();
            n.state = null;
            entries--;
            evictions++;
            prune(n);
            freed += Math.max(0, before - pool.used());
        }
        return freed;
    }

    private static void collect(Node node, List<Node> out) {
        if (node.state != null) {
            out.add(node);
        }
        for (Node c : node.children) {
            collect(c, out);
        }
    }

    /** Removes stateless leaves upward from {@code node}. */
    private void prune(Node node) {
        while (node != root && node.state == null && node.children.isEmpty()) {
            node.parent.children.remove(node);
            node = node.parent;
        }
    }

    synchronized Stats stats() {
        return new Stats(hits, misses, reusedTokens, entries, evictions);
    }

    /** Drops every entry. */
    synchronized void clear() {
        List<Node> holders = new ArrayList<>();
        collect(root, holders);
        for (Node n : holders) {
            n.state.close();
        }
        root.children.clear();
        entries = 0;
    }
}
