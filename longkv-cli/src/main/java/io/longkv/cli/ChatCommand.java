package io.longkv.cli;

import io.longkv.engine.Conversation;
import io.longkv.engine.GenerationResult;
import io.longkv.engine.Generator;
import io.longkv.engine.Session;
import io.longkv.model.Model;
import io.longkv.sampling.Sampler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Interactive multi-turn chat with the model's chat template; replies stream as they are generated.",
                "Earlier turns stay in the KV cache. Commands: /reset, /stats, /exit."})
final class ChatCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    ChatOptions chatOptions;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "512", description = "Most tokens per reply (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop a reply when this text appears (repeatable).")
    List<String> stops = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        runtime.applyThreads();
        PrintStream out = System.out;
        try (Model model = Model.load(modelOption.resolve())) {
            Session session = runtime.newSession(model);
            Conversation conversation = new Conversation(session, chatOptions.template(model), chatOptions.system);
            Generator generator = new Generator(session, new Sampler(sampling.params(), model.config().vocabSize()), stops);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            out.println("Chatting with " + model.name() + ". /reset clears the conversation, /stats shows counters, /exit quits.");
            GenerationResult last = null;
            int turns = 0;
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    return 0;
                }
                switch (line.strip()) {
                    case "" -> {
                        continue;
                    }
                    case "/reset" -> {
                        conversation.reset();
                        turns = 0;
                        out.println("(conversation cleared)");
                        continue;
                    }
                    case "/stats" -> {
                        printStats(out, session, turns, last);
                        continue;
                    }
                    default -> {
                    }
                }
                int[] tokens;
                try {
                    tokens = conversation.userTurn(line);
                    session.checkFits(tokens.length);
                } catch (IllegalArgumentException e) {
                    out.println("error: " + e.getMessage());
                    continue;
                }
                try (PrefillProgress progress = new PrefillProgress(tokens.length, false)) {
                    last = generator.generate(tokens, maxTokens, piece -> {
                        out.print(piece);
                        out.flush();
                    }, progress);
                }
                out.println();
                conversation.assistantReply(last.text());
                turns++;
            }
        }
    }

    private static void printStats(PrintStream out, Session session, int turns, GenerationResult last) {
        out.printf("turns: %d, tokens in context: %d of %d%n", turns, session.length(), session.contextLength());
        out.println(KvReport.text(session));
        if (last != null) {
            out.printf("last reply: %d new prompt tokens at %.1f tok/s, %d generated at %.1f tok/s (%s)%n",
                    last.promptTokens(), last.prefillTokensPerSecond(), last.generatedTokens(),
                    last.decodeTokensPerSecond(), last.stopReason().name().toLowerCase());
        }
    }
}
