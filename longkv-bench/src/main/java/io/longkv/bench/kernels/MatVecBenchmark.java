package io.longkv.bench.kernels;

import io.longkv.gguf.GgmlType;
import io.longkv.tensor.Parallel;
import io.longkv.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One matrix-vector product per operation. Decode streams every layer's weights from DRAM, so the
 * benchmark cycles through enough copies of the matrix (at least {@link #STREAM_BYTES}) that none
 * is still in the last-level cache when it comes round again.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatVecBenchmark {
    static final long STREAM_BYTES = 256L << 20;

    @Param({"Q4_1"})
    public String type;
    /** rows x cols. */
    @Param({"576x576"})
    public String shape;
    @Param({"1"})
    public int threads;

    private Arena arena;
    private WeightMatrix[] copies;
    private int next;
    private float[] x;
    private float[] out;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        int rows = rows(shape);
        int cols = cols(shape);
        GgmlType t = GgmlType.valueOf(type);
        long bytes = t.byteSize((long) rows * cols);
        arena = Arena.ofShared();
        copies = new WeightMatrix[(int) Math.max(1, (STREAM_BYTES + bytes - 1) / bytes)];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = WeightMatrix.of(t, SyntheticWeights.allocate(arena, t, rows, cols, i), rows, cols);
        }
        x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) Math.sin(i);
        }
        out = new float[rows];
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] matVec() {
        WeightMatrix m = copies[next];
        next = next + 1 == copies.length ? 0 : next + 1;
        m.matVec(x, out, 0);
        return out;
    }

    static int rows(String shape) {
        return Integer.parseInt(shape.substring(0, shape.indexOf('x')));
    }

    static int cols(String shape) {
        return Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
    }
}
