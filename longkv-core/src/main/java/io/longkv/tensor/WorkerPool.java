package io.longkv.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool where the submitting thread works alongside {@code size - 1} workers. Decode calls it
 * a few hundred times per token, so a job is published through fields and one atomic word (no
 * allocation, no queue), idle workers spin briefly before parking, and chunks are claimed by CAS so
 * a late or preempted thread never holds up the others.
 */
final class WorkerPool {
    /** How long an idle worker spins before parking: covers the gaps between the kernels of a step. */
    private static final long SPIN_NANOS = Long.getLong("longkv.spinMicros", 100) * 1000;
    /** Chunks per thread: enough slack to balance cores that other processes share. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final int size;
    private final Worker[] workers;
    private final ReentrantLock submitLock = new ReentrantLock();
    /** Epoch of the current job (high 32 bits) and the next unclaimed index (low 32 bits). */
    private final AtomicLong state = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private volatile boolean shutdown;
    private volatile Throwable failure;
    // The job: written by the submitter before it publishes a new epoch in state.
    private Parallel.Range body;
    private int n;
    private int chunk;

    WorkerPool(int size) {
        this.size = size;
        this.workers = new Worker[size - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
    }

    int size() {
        return size;
    }

    void run(int n, int grain, Parallel.Range body) {
        if (n <= 0) {
            return;
        }
        // Nested calls, calls while another thread's job runs, and jobs too small to split run inline.
        if (size == 1 || n <= grain || Thread.currentThread() instanceof Worker
                || submitLock.isHeldByCurrentThread() || !submitLock.tryLock()) {
            body.run(0, n);
            return;
        }
        try {
            // Retire the previous job's epoch before touching the job fields: a worker that read the old state
            // and then sees the new body and n must fail its CAS, not run (and count) a chunk of this job early.
            long epoch = ((state.get() >>> 32) + 1) << 32;
            state.set(epoch | 0xFFFF_FFFFL);
            this.body = body;
            this.n = n;
            this.chunk = Math.max(grain, (n + size * CHUNKS_PER_THREAD - 1) / (size * CHUNKS_PER_THREAD));
            failure = null;
            done.set(0);
            state.set(epoch);
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            runChunks();
            awaitDone(n);
            this.body = null;
            Throwable f = failure;
            if (f instanceof RuntimeException r) {
                throw r;
            } else if (f instanceof Error e) {
                throw e;
            } else if (f != null) {
                throw new IllegalStateException(f); // a sneaky checked exception
            }
        } finally {
            submitLock.unlock();
        }
    }

    /** Claims and runs chunks of the published job until none is left. */
    private void runChunks() {
        while (true) {
            long s = state.get();
            long start = s & 0xFFFF_FFFFL;
            Parallel.Range b = body;
            int end = this.n;
            if (start >= end) {
                return;
            }
            // The CAS succeeds only while this job's chunk is unclaimed, so the fields read above are this job's.
            if (!state.compareAndSet(s, s + chunk)) {
                continue;
            }
            int to = (int) Math.min(start + chunk, end);
            try {
                b.run((int) start, to);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
            done.addAndGet(to - (int) start);
        }
    }

    private boolean hasWork() {
        return (state.get() & 0xFFFF_FFFFL) < n;
    }

    private void awaitDone(int n) {
        for (int spins = 0; done.get() < n; spins++) {
            if (spins < 10_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // a worker was preempted: give it the core
            }
        }
    }

    void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(int index) {
            super("longkv-kernel-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!shutdown) {
                runChunks();
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (!shutdown && !hasWork()) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        // Dekker handshake with run(): it publishes state then reads parked; we do the reverse.
                        parked = true;
                        if (!shutdown && !hasWork()) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
            }
        }
    }
}
