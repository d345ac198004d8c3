package io.longkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longkv.engine.Conversation;
import io.longkv.engine.GenerationResult;
import io.longkv.engine.Generator;
import io.longkv.engine.Session;
import io.longkv.model.Model;
import io.longkv.sampling.Sampler;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate a continuation of a prompt (or a chat reply with --chat).")
final class GenerateCommand implements Callable<Integer> {
    static final class PromptSource {
        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", required = true, description = "The prompt text.")
        String text;

        @Option(names = {"-f", "--prompt-file"}, paramLabel = "FILE", required = true, description = "Read the prompt from a file.")
        Path file;

        String read() throws java.io.IOException {
            return text != null ? text : Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptSource prompt;

    @Mixin
    ModelOption modelOption;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    ChatOptions chatOptions;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "256", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--chat", description = "Wrap the prompt as a user message in the model's chat template.")
    boolean chat;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable).")
    List<String> stops = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object with the text, token counts and speeds.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        runtime.applyThreads();
        String text = prompt.read();
        try (Model model = Model.load(modelOption.resolve())) {
            Session session = runtime.newSession(model);
            int[] tokens = chat ? new Conversation(session, chatOptions.template(model), chatOptions.system).userTurn(text)
                    : Conversation.tokenizeRaw(model.tokenizer(), text);
            session.checkFits(tokens.length);
            Generator generator = new Generator(session, new Sampler(sampling.params(), model.config().vocabSize()), stops);
            PrintStream out = System.out;
            GenerationResult result;
            try (PrefillProgress progress = new PrefillProgress(tokens.length, quiet || json)) {
                result = generator.generate(tokens, maxTokens, piece -> {
                    if (!json) {
                        out.print(piece);
                        out.flush();
                    }
                }, progress);
            }
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(report(result, session)));
            } else {
                out.println();
            }
        }
        return 0;
    }

    private static Map<String, Object> report(GenerationResult r, Session session) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", r.text());
        m.put("prompt_tokens", r.promptTokens());
        m.put("generated_tokens", r.generatedTokens());
        m.put("stop_reason", r.stopReason().name().toLowerCase());
        m.put("prefill_tokens_per_second", r.prefillTokensPerSecond());
        m.put("decode_tokens_per_second", r.decodeTokensPerSecond());
        m.put("prefill_seconds", r.prefillSeconds());
        m.put("decode_seconds", r.decodeSeconds());
        m.put("kv_bytes", session.cache().memory().total());
        m.put("kv", KvReport.json(session));
        return m;
    }
}
