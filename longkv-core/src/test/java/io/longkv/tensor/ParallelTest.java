package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private static int savedThreads;

    @BeforeAll
    static void useSeveralThreads() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(3);
    }

    @AfterAll
    static void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void everyIndexRunsExactlyOnce() {
        for (int n : new int[] {0, 1, 2, 7, 64, 1000, 100_003}) {
            for (int grain : new int[] {1, 3, 16, 5000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                // Many back-to-back jobs: a worker late for one job must not run chunks of the next with stale fields.
                for (int repeat = 0; repeat < 20; repeat++) {
                    Parallel.parallelFor(n, grain, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(20, hits.get(i), "n=" + n + " grain=" + grain + " index " + i);
                }
            }
        }
    }

    @Test
    void chunksRespectTheGrain() {
        AtomicIntegerArray sizes = new AtomicIntegerArray(1);
        Parallel.parallelFor(1000, 100, (from, to) -> {
            if (to < 1000 && to - from < 100) {
                sizes.incrementAndGet(0);
            }
        });
        assertEquals(0, sizes.get(0), "only the last chunk may be shorter than the grain");
    }

    @Test
    void nestedCallsRunInline() {
        AtomicIntegerArray hits = new AtomicIntegerArray(40 * 40);
        Parallel.parallelFor(40, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                Parallel.parallelFor(40, (f2, t2) -> {
                    for (int j = f2; j < t2; j++) {
                        hits.incrementAndGet(row * 40 + j);
                    }
                });
            }
        });
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void firstExceptionIsRethrownAndThePoolStaysUsable() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.parallelFor(100, (from, to) -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        everyIndexRunsExactlyOnce();
    }

    @Test
    void threadCountIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertEquals(3, Parallel.threads());
    }
}
