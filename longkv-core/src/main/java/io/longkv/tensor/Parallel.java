package io.longkv.tensor;

/**
 * The process-wide thread pool for kernels. Its size comes from {@code -Dlongkv.threads} (default:
 * available processors) or {@link #setThreads}; the calling thread counts as one of the threads.
 */
public final class Parallel {
    /** A body run over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static volatile WorkerPool pool = new WorkerPool(defaultThreads());

    private Parallel() {
    }

    private static int defaultThreads() {
        String configured = System.getProperty("longkv.threads");
        if (configured == null || configured.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            return checkThreads(Integer.parseInt(configured.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dlongkv.threads must be a positive integer, got '" + configured + "'", e);
        }
    }

    private static int checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        return threads;
    }

    public static int threads() {
        return pool.size();
    }

    /** Replaces the pool with one of {@code threads} threads; kernels already running finish on the old one. */
    public static synchronized void setThreads(int threads) {
        if (threads == pool.size()) {
            return;
        }
        WorkerPool old = pool;
        pool = new WorkerPool(checkThreads(threads));
        old.shutdown();
    }

    /** Runs {@code body} over {@code [0, n)} split into chunks of at least one index. */
    public static void parallelFor(int n, Range body) {
        pool.run(n, 1, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} indices, spread over the
     * pool. Returns once every chunk is done; the first exception thrown by a chunk is rethrown.
     */
    public static void parallelFor(int n, int grain, Range body) {
        pool.run(n, grain, body);
    }
}
