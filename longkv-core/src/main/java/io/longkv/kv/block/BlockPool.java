package io.longkv.kv.block;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine-wide store of KV blocks and keeper of the KV memory budget. Every method's storage is
 * reserved here (blocks through {@link #allocate}, other arrays through {@link #reserve}), so one budget
 * covers all sessions. When a reservation does not fit, the evictor (the prefix cache) is asked to drop
 * unused entries first; if that is not enough a {@link KvMemoryException} is thrown before anything is
 * allocated, long before the JVM heap runs out. Thread-safe.
 */
public final class BlockPool {
    /** Frees memory on request; returns the bytes it released (0 when it has nothing left to drop). */
    @FunctionalInterface
    public interface Evictor {
        long evict(long bytesWanted);
    }

    /**
     * Tokens per block by default. Decode attention walks one block of a KV head per kernel run: with 16
     * tokens (2 KiB of f16 keys per head) each run paid its softmax update and call overhead on too little
     * work, and the hardware prefetcher restarted every 2 KiB; 64 decodes faster at long depths while prefix
     * reuse still works at a 64-token granularity.
     */
    public static final int DEFAULT_BLOCK_TOKENS = 64;

    private final long budget;
    private final int blockTokens;
    private final AtomicLong used = new AtomicLong();
    private volatile Evictor evictor = wanted -> 0;

    /**
     * @param budget most bytes all caches may hold together
     * @param blockTokens tokens per block (the paging and prefix-sharing granularity)
     */
    public BlockPool(long budget, int blockTokens) {
        if (budget <= 0) {
            throw new IllegalArgumentException("KV memory budget must be positive, got " + budget);
        }
        if (blockTokens < 1 || blockTokens > 4096) {
            throw new IllegalArgumentException("tokens per KV block must be in [1, 4096], got " + blockTokens);
        }
        this.budget = budget;
        this.blockTokens = blockTokens;
    }

    public int blockTokens() {
        return blockTokens;
    }

    public long budget() {
        return budget;
    }

    /** Bytes reserved now by all caches (and entries the prefix cache keeps). */
    public long used() {
        return used.get();
    }

    public void setEvictor(Evictor evictor) {
        this.evictor = evictor;
    }

    /** A new block of {@link #blockTokens()} tokens, reference count 1. */
    public KvBlock allocate(KvDtype dtype, int kvHeads, int headDim) {
        long bytes = dtype.blockBytes(blockTokens, kvHeads, headDim);
        reserve(bytes);
        return dtype.newBlock(this, blockTokens, kvHeads, headDim, bytes);
    }

    /** Reserves {@code bytes} of the budget, evicting unused prefix-cache entries if needed. */
    public void reserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes <= budget) {
                if (used.compareAndSet(now, now + bytes)) {
                    return;
                }
                continue;
            }
            // The evictor takes its own lock, so it is called without holding anything here.
            if (evictor.evict(now + bytes - budget) <= 0 && used.get() + bytes > budget) {
                throw new KvMemoryException(bytes, used.get(), budget);
            }
        }
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Bytes as "12.3 MiB". */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Parses "4GiB", "512MiB", "4g", "1000000" (bytes). */
    public static long parseBytes(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        String[][] suffixes = {{"tib", "tb", "t"}, {"gib", "gb", "g"}, {"mib", "mb", "m"}, {"kib", "kb", "k"}, {"b"}};
        long[] units = {1L << 40, 1L << 30, 1L << 20, 1L << 10, 1};
        outer:
        for (int i = 0; i < suffixes.length; i++) {
            for (String s : suffixes[i]) {
                if (t.endsWith(s)) {
                    unit = units[i];
                    t = t.substring(0, t.length() - s.length());
                    break outer;
                }
            }
        }
        try {
            double value = Double.parseDouble(t);
            if (value <= 0 || value * unit > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) (value * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad memory size '" + text + "'; expected e.g. 4GiB, 512MiB");
        }
    }
}
