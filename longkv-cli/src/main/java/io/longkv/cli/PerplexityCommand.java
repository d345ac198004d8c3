package io.longkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longkv.engine.Perplexity;
import io.longkv.engine.Session;
import io.longkv.model.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = {"Teacher-forced perplexity of a text, computed as llama-perplexity does:",
                "windows of --ctx tokens, each scored on its second half."})
final class PerplexityCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    TextInput input;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        runtime.applyThreads();
        try (Model model = Model.load(modelOption.resolve())) {
            int[] tokens = input.tokens(model);
            Session session = runtime.newSession(model);
            long start = System.nanoTime();
            Perplexity.Result r = Perplexity.evaluate(session, tokens, session.contextLength());
            double seconds = (System.nanoTime() - start) / 1e9;
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("perplexity", r.perplexity());
                m.put("mean_nll", r.meanNll());
                m.put("tokens_scored", r.tokensScored());
                m.put("windows", r.windows());
                m.put("window", session.contextLength());
                m.put("seconds", seconds);
                System.out.println(new ObjectMapper().writeValueAsString(m));
            } else {
                System.out.printf("perplexity %.4f (mean NLL %.5f) over %d tokens in %d windows of %d, %.1f s%n",
                        r.perplexity(), r.meanNll(), r.tokensScored(), r.windows(), session.contextLength(), seconds);
            }
        }
        return 0;
    }
}
