package io.longkv.bench.speed;

import io.longkv.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's streaming read bandwidth with all kernel threads: vector sums over an array far larger
 * than the caches, best of a few passes. The yardstick for memory-bound kernels such as decode attention.
 * One instance keeps its array, so a benchmark can measure again between its repetitions without
 * allocating 256 MiB each time.
 */
public final class ReadBandwidth {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FLOATS = 64 << 20; // 256 MiB
    private static final int CHUNK = 1 << 16;
    private static final int PASSES = 5;

    private final float[] data = new float[FLOATS];
    private final float[] sink = new float[Parallel.threads() * 64];

    public ReadBandwidth() {
        java.util.Arrays.fill(data, 1f);
    }

    /** Bytes per second, best of a few passes. */
    public double measure() {
        double best = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            long start = System.nanoTime();
            Parallel.parallelFor(FLOATS / CHUNK, (from, to) -> {
                // Four accumulators so the adds' latency never limits the loads.
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = FloatVector.zero(F);
                FloatVector a2 = FloatVector.zero(F);
                FloatVector a3 = FloatVector.zero(F);
                int step = F.length();
                for (int i = from * CHUNK; i < to * CHUNK; i += 4 * step) {
                    a0 = a0.add(FloatVector.fromArray(F, data, i));
                    a1 = a1.add(FloatVector.fromArray(F, data, i + step));
                    a2 = a2.add(FloatVector.fromArray(F, data, i + 2 * step));
                    a3 = a3.add(FloatVector.fromArray(F, data, i + 3 * step));
                }
                sink[(from % (sink.length / 16)) * 16] += a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
            });
            best = Math.max(best, (double) FLOATS * Float.BYTES / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }
}
