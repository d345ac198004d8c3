package io.longkv.cli;

import io.longkv.bench.scbench.data.SessionFiles;
import io.longkv.bench.scbench.gen.TokenSizer;
import io.longkv.bench.scbench.run.TaskSessions;
import io.longkv.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes the generated sessions as SCBench JSONL files (OUT/scbench_kv.jsonl, ...), sized with the model's tokenizer.")
final class ScbenchGenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Mixin
    ScbenchDataOptions dataOptions;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the JSONL files to.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (dataOptions.data != null) {
            throw new IllegalArgumentException("generate makes sessions; --data is for 'bench scbench'");
        }
        try (Model model = Model.load(modelOption.resolve())) {
            Files.createDirectories(out);
            int cap = dataOptions.preset().maxNewTokens();
            TokenSizer sizer = new TokenSizer(model.tokenizer(), cap);
            for (TaskSessions t : dataOptions.load(model.tokenizer(), cap)) {
                Path file = out.resolve(t.task().fileName() + ".jsonl");
                SessionFiles.write(file, t.sessions());
                int tokens = t.sessions().stream().mapToInt(s -> sizer.tokens(t.task(), s)).max().orElse(0);
                System.out.printf("%s: %d sessions, up to %d tokens%n", file, t.sessions().size(), tokens);
            }
        }
        return 0;
    }
}
