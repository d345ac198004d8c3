package io.longkv.cli;

import io.longkv.bench.kernels.KernelBenchmarks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "kernels",
        description = {"JMH benchmarks of the weight kernels (GB/s of weights streamed per type and shape), of decode",
                "attention per KV spec (GB/s of KV bytes read per step), the machine's read bandwidth and the thread pool's",
                "dispatch cost. Options: --types Q4_1,Q8_0,F16 --shapes 576x576,49152x576 --threads 1,2 --forks 1 --warmup 3",
                "--iterations 5 --time 1 --bandwidth-mib 512 --attention \"full:dtype=f16;kivi:bits=2\" (or none) --depths 8192",
                "--attention-heads 9/3,8/8 (query/KV heads of the attention caches)."})
final class BenchKernelsCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        KernelBenchmarks.main(args.toArray(String[]::new));
        return 0;
    }
}
