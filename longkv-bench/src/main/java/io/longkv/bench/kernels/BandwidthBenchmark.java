package io.longkv.bench.kernels;

import io.longkv.tensor.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The read bandwidth kernels are measured against: a vector sum over a buffer much larger than L3. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BandwidthBenchmark {
    private static final VectorSpecies<Long> L = LongVector.SPECIES_256;
    private static final int CHUNKS = 256;

    @Param({"512"})
    public int mib;
    @Param({"1"})
    public int threads;

    private Arena arena;
    private MemorySegment buffer;
    private long[] sums;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        arena = Arena.ofShared();
        buffer = arena.allocate((long) mib << 20, 4096);
        buffer.fill((byte) 1); // touch every page before measuring
        sums = new long[CHUNKS];
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long read() {
        long chunkBytes = buffer.byteSize() / CHUNKS;
        Parallel.parallelFor(CHUNKS, (from, to) -> {
            for (int c = from; c < to; c++) {
                sums[c] = sum(buffer, c * chunkBytes, chunkBytes);
            }
        });
        long total = 0;
        for (long s : sums) {
            total += s;
        }
        return total;
    }

    private static long sum(MemorySegment s, long offset, long bytes) {
        LongVector a0 = LongVector.zero(L);
        LongVector a1 = LongVector.zero(L);
        LongVector a2 = LongVector.zero(L);
        LongVector a3 = LongVector.zero(L);
        ByteOrder order = ByteOrder.nativeOrder();
        for (long i = offset, end = offset + bytes; i < end; i += 128) {
            a0 = a0.add(LongVector.fromMemorySegment(L, s, i, order));
            a1 = a1.add(LongVector.fromMemorySegment(L, s, i + 32, order));
            a2 = a2.add(LongVector.fromMemorySegment(L, s, i + 64, order));
            a3 = a3.add(LongVector.fromMemorySegment(L, s, i + 96, order));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}
