package io.longkv.cli;

import io.longkv.kv.KvMethod;
import io.longkv.kv.KvMethods;
import io.longkv.kv.KvParam;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "list", mixinStandardHelpOptions = true, description = "Print each KV method with its parameters and defaults.")
final class KvListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        PrintStream out = System.out;
        out.println("Spec: METHOD[:NAME=VALUE,...], or per layer: layers=0-1:METHOD...;2-:METHOD...");
        for (KvMethod m : KvMethods.all()) {
            out.printf("%n%s  %s%n", m.name(), m.description());
            for (KvParam p : m.params()) {
                out.printf("  %-12s %-22s default %-8s %s%n", p.name(), p.range(),
                        p.defaultValue() == null ? "(required)" : p.defaultValue(), p.description());
            }
        }
        return 0;
    }
}
