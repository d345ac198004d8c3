package io.longkv.cli;

import io.longkv.bench.kernels.KernelBenchmarks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "kernels", description = "JMH benchmarks of the weight kernels (GB/s) and of the machine's read bandwidth. Options after -- go to the benchmark runner (--help lists them).")
final class BenchKernelsCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Arguments for the kernel benchmark runner.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        KernelBenchmarks.main(args.toArray(String[]::new));
        return 0;
    }
}
