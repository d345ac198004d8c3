package io.longkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longkv.engine.Session;
import io.longkv.model.Model;
import io.longkv.sampling.Logits;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Teacher-forced next-token logits: the top-k tokens and the log-sum-exp at every position of a text.")
final class LogitsCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    TextInput input;

    @Option(names = "--top", defaultValue = "20", description = "Tokens listed per position (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON object per position (JSON lines) instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        runtime.applyThreads();
        try (Model model = Model.load(modelOption.resolve())) {
            int[] tokens = input.tokens(model);
            Session session = runtime.newSession(model);
            session.checkFits(tokens.length);
            PrintStream out = System.out;
            ObjectMapper mapper = new ObjectMapper();
            int vocab = model.config().vocabSize();
            int[] topIds = new int[top];
            session.append(tokens, (position, logits, offset) -> {
                double lse = Logits.logSumExp(logits, offset, vocab);
                Logits.topK(logits, offset, vocab, topIds);
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("pos", position);
                    row.put("token", tokens[position]);
                    row.put("lse", lse);
                    float[] topLogits = new float[top];
                    for (int i = 0; i < top; i++) {
                        topLogits[i] = logits[offset + topIds[i]];
                    }
                    row.put("top_ids", topIds.clone());
                    row.put("top_logits", topLogits);
                    try {
                        out.println(mapper.writeValueAsString(row));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                } else {
                    StringBuilder line = new StringBuilder().append(position).append(" lse=").append(String.format("%.4f", lse));
                    for (int i = 0; i < top; i++) {
                        line.append(' ').append(topIds[i]).append(':').append(String.format("%.3f", logits[offset + topIds[i]]));
                    }
                    out.println(line);
                }
            }, null);
        }
        return 0;
    }
}
