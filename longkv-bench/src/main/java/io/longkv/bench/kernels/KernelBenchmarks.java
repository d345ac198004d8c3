package io.longkv.bench.kernels;

import io.longkv.gguf.GgmlType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the kernel benchmarks under JMH and prints GB/s of weight bytes streamed per matVec and of KV
 * bytes read per decode attention step, next to the measured read bandwidth at the same thread count,
 * and the fixed cost of a parallel call ({@code ./longkv bench kernels}).
 *
 * <pre>
 * options (each --name=value or --name value):
 *   --types      F32,F16,BF16,Q8_0,Q4_0,Q4_1,Q5_0,Q5_1,Q4_K,Q5_K,Q6_K (default: all; none skips the matVecs)
 *   --shapes     rows x cols list (default: 576x576,1536x576,576x1536,49152x576)
 *   --threads    default 1,2
 *   --forks      default 1
 *   --warmup     warmup iterations, default 3
 *   --iterations measurement iterations, default 5
 *   --time       seconds per iteration, default 1
 *   --bandwidth-mib  size of the bandwidth buffer, default 512 (0 skips it)
 *   --attention  KV specs whose decode attention is measured, ';'-separated (default: full at f32, f16, q8_0; none skips it)
 *   --depths     cache depths for --attention, default 8192
 *   --attention-heads  query/KV heads of --attention's caches, ','-separated (default 9/3, the default model's; 8/8
 *                is multi-head attention, 8/4 a GQA group of 2)
 * </pre>
 * The forked JVMs get this JVM's {@code -Dlongkv.activations} (q8 or f32 matVec activations).
 */
public final class KernelBenchmarks {
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("types", "F32,F16,BF16,Q8_0,Q4_0,Q4_1,Q5_0,Q5_1,Q4_K,Q5_K,Q6_K");
        DEFAULTS.put("shapes", "576x576,1536x576,576x1536,49152x576");
        DEFAULTS.put("threads", "1,2");
        DEFAULTS.put("forks", "1");
        DEFAULTS.put("warmup", "3");
        DEFAULTS.put("iterations", "5");
        DEFAULTS.put("time", "1");
        DEFAULTS.put("bandwidth-mib", "512");
        DEFAULTS.put("attention", "full:dtype=f32;full:dtype=f16;full:dtype=q8_0");
        DEFAULTS.put("depths", "8192");
        DEFAULTS.put("attention-heads", "9/3");
    }

    private KernelBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException {
        Map<String, String> options = parse(args);
        String[] types = options.get("types").equals("none") ? new String[0] : options.get("types").split(",");
        for (String t : types) {
            GgmlType.valueOf(t); // fail early on a typo
        }
        String[] shapes = options.get("shapes").split(",");
        List<String[]> attentionShapes = Arrays.stream(options.get("attention-heads").split(","))
                .map(KernelBenchmarks::attentionHeads).toList(); // fail early on a typo too
        String[] threads = options.get("threads").split(",");
        int mib = Integer.parseInt(options.get("bandwidth-mib"));

        Map<String, Double> bandwidth = new HashMap<>();
        if (mib > 0) {
            for (RunResult r : run(options, BandwidthBenchmark.class.getName() + ".read", b -> b
                    .param("mib", String.valueOf(mib)).param("threads", threads))) {
                double gbs = ((long) mib << 20) / (r.getPrimaryResult().getScore() * 1e3);
                bandwidth.put(r.getParams().getParam("threads"), gbs);
            }
        }
        // The ForkJoin common pool has a fixed size, so compare at the largest thread count only.
        String mostThreads = Arrays.stream(threads).max(Comparator.comparingInt(Integer::parseInt)).orElseThrow();
        Map<String, Double> dispatch = new LinkedHashMap<>();
        for (RunResult r : run(options, DispatchBenchmark.class.getName() + ".dispatch", b -> b.param("threads", mostThreads))) {
            dispatch.put(r.getParams().getParam("impl"), r.getPrimaryResult().getScore());
        }
        List<String> rows = new ArrayList<>();
        for (String shape : shapes) {
            // A type fits a shape when its blocks tile a row: K-quants need multiples of 256 columns.
            String[] fitting = Arrays.stream(types)
                    .filter(t -> MatVecBenchmark.cols(shape) % GgmlType.valueOf(t).blockSize() == 0)
                    .toArray(String[]::new);
            if (fitting.length < types.length) {
                rows.add("(" + shape + ": skipped types whose block does not divide " + MatVecBenchmark.cols(shape) + " columns)");
            }
            if (fitting.length == 0) {
                continue;
            }
            for (RunResult r : run(options, MatVecBenchmark.class.getName() + ".matVec", b -> b
                    .param("type", fitting).param("shape", shape).param("threads", threads))) {
                rows.add(row(r, bandwidth));
            }
        }
        List<String> attention = new ArrayList<>();
        if (!options.get("attention").equals("none")) {
            String[] specs = options.get("attention").split(";");
            // One run per shape: JMH would cross separate heads and kvHeads lists into shapes nobody asked for.
            for (String[] headCounts : attentionShapes) {
                for (RunResult r : run(options, AttentionBenchmark.class.getName() + ".decodeStep", b -> b
                        .param("kv", specs).param("depth", options.get("depths").split(",")).param("threads", threads)
                        .param("heads", headCounts[0]).param("kvHeads", headCounts[1]))) {
                    attention.add(attentionRow(r, bandwidth));
                }
            }
        }
        System.out.println();
        dispatch.forEach((impl, ns) -> System.out.printf("parallel call of %d tiny tasks, %s thread(s), %s: %.0f ns%n",
                DispatchBenchmark.TASKS, mostThreads, impl.equals("pool") ? "LongKV pool" : "ForkJoin parallel stream", ns));
        bandwidth.forEach((t, gbs) -> System.out.printf("read bandwidth, %s thread(s), %d MiB: %.2f GB/s%n", t, mib, gbs));
        if (!rows.isEmpty()) {
            System.out.printf("%-6s %-10s %7s %10s %8s %8s%n", "type", "shape", "threads", "us/op", "GB/s", "of read");
            rows.forEach(System.out::println);
        }
        if (!attention.isEmpty()) {
            System.out.printf("%nDecode attention, %d layers of query/KV heads of size %d, one query row per step:%n",
                    AttentionBenchmark.LAYERS, AttentionBenchmark.HEAD_DIM);
            System.out.printf("%-32s %6s %6s %7s %10s %12s %8s %8s%n", "kv", "heads", "depth", "threads", "us/step", "KV MiB/step",
                    "GB/s", "of read");
            attention.forEach(System.out::println);
        }
    }

    /** "9/3" as {"9", "3"}: query heads, then KV heads dividing them. */
    static String[] attentionHeads(String shape) {
        String[] parts = shape.split("/");
        try {
            if (parts.length == 2) {
                int heads = Integer.parseInt(parts[0].trim());
                int kvHeads = Integer.parseInt(parts[1].trim());
                if (heads > 0 && kvHeads > 0 && heads % kvHeads == 0) {
                    return new String[] {String.valueOf(heads), String.valueOf(kvHeads)};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--attention-heads takes QUERY/KV head counts with KV dividing QUERY, such as 9/3; got "
                + shape);
    }

    private static String attentionRow(RunResult r, Map<String, Double> bandwidth) {
        String t = r.getParams().getParam("threads");
        double steps = r.getPrimaryResult().getScore();
        double bytesPerSecond = r.getSecondaryResults().get("bytes").getScore();
        double gbs = bytesPerSecond / 1e9;
        Double peak = bandwidth.get(t);
        String heads = r.getParams().getParam("heads") + "/" + r.getParams().getParam("kvHeads");
        return String.format("%-32s %6s %6s %7s %10.1f %12.1f %8.2f %8s", r.getParams().getParam("kv"), heads,
                r.getParams().getParam("depth"), t, 1e6 / steps, bytesPerSecond / steps / (1 << 20), gbs,
                peak == null ? "-" : String.format("%.0f%%", 100 * gbs / peak));
    }

    private static String row(RunResult r, Map<String, Double> bandwidth) {
        String type = r.getParams().getParam("type");
        String shape = r.getParams().getParam("shape");
        String t = r.getParams().getParam("threads");
        double micros = r.getPrimaryResult().getScore();
        long bytes = GgmlType.valueOf(type).byteSize((long) MatVecBenchmark.rows(shape) * MatVecBenchmark.cols(shape));
        double gbs = bytes / (micros * 1e3);
        Double peak = bandwidth.get(t);
        return String.format("%-6s %-10s %7s %10.1f %8.2f %8s", type, shape, t, micros, gbs,
                peak == null ? "-" : String.format("%.0f%%", 100 * gbs / peak));
    }

    private interface Params {
        ChainedOptionsBuilder apply(ChainedOptionsBuilder b);
    }

    private static Collection<RunResult> run(Map<String, String> o, String include, Params params) throws RunnerException {
        int time = Integer.parseInt(o.get("time"));
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + include.replace(".", "\\.") + "$")
                .forks(Integer.parseInt(o.get("forks")))
                .warmupIterations(Integer.parseInt(o.get("warmup")))
                .measurementIterations(Integer.parseInt(o.get("iterations")))
                .warmupTime(TimeValue.seconds(time))
                .measurementTime(TimeValue.seconds(time))
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                        "-Dlongkv.activations=" + System.getProperty("longkv.activations", "q8"))
                .shouldFailOnError(true);
        return new Runner(params.apply(b).build()).run();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; options: " + DEFAULTS.keySet());
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            if (!DEFAULTS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; options: " + DEFAULTS.keySet());
            }
            options.put(name, value);
        }
        return options;
    }
}
