package io.longkv.bench.kernels;

import io.longkv.tensor.Parallel;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The fixed cost of one parallel kernel call with next to no work, which decode pays a few hundred
 * times per token: the LongKV pool against a parallel stream on the ForkJoin common pool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {
    static final int TASKS = 16;

    @Param({"2"})
    public int threads;
    @Param({"pool", "forkjoin"})
    public String impl;

    private final long[] cells = new long[TASKS * 8]; // one cache line per task

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
    }

    @Benchmark
    public long[] dispatch() {
        if (impl.equals("pool")) {
            Parallel.parallelFor(TASKS, (from, to) -> {
                for (int t = from; t < to; t++) {
                    cells[t * 8]++;
                }
            });
        } else {
            IntStream.range(0, TASKS).parallel().forEach(t -> cells[t * 8]++);
        }
        return cells;
    }
}
