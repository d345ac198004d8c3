package io.longkv.engine;

import io.longkv.sampling.Sampler;
import io.longkv.tokenizer.StreamingDecoder;
import io.longkv.tokenizer.Tokenizer;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** Prefills a prompt into a session and decodes a reply token by token, streaming its text. */
public final class Generator {
    private final Session session;
    private final Sampler sampler;
    private final List<String> stopStrings;

    public Generator(Session session, Sampler sampler, List<String> stopStrings) {
        this.session = session;
        this.sampler = sampler;
        this.stopStrings = List.copyOf(stopStrings);
    }

    /**
     * Appends {@code prompt} to the session (which may already hold earlier turns) and generates up to
     * {@code maxTokens} tokens. The generated tokens stay in the session, except an end-of-generation token.
     *
     * @param onText receives the text as it is decoded (whole characters only; stop strings cut off)
     * @param prefillProgress told how many prompt tokens are done (may be null)
     */
    public GenerationResult generate(int[] prompt, int maxTokens, Consumer<String> onText, IntConsumer prefillProgress) {
        if (prompt.length == 0 && session.length() == 0) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        session.checkFits(prompt.length);
        Tokenizer tokenizer = session.model().tokenizer();
        long start = System.nanoTime();
        if (prompt.length > 0) {
            session.append(prompt, null, prefillProgress);
        }
        long prefillEnd = System.nanoTime();

        StreamingDecoder decoder = tokenizer.streamingDecoder();
        StopStrings stops = new StopStrings(stopStrings);
        StringBuilder text = new StringBuilder();
        StopReason reason = StopReason.MAX_TOKENS;
        int generated = 0;
        while (generated < maxTokens) {
            int token = sampler.sample(session.logits(), session.history(), session.length());
            generated++;
            if (tokenizer.isEndOfGeneration(token)) {
                reason = StopReason.END_TOKEN;
                break;
            }
            String piece = stops.accept(decoder.accept(token));
            text.append(piece);
            onText.accept(piece);
            if (stops.stopped()) {
                reason = StopReason.STOP_STRING;
                break;
            }
            if (session.length() >= session.contextLength()) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            session.append(token);
        }
        String tail = stops.accept(decoder.flush()) + stops.flush();
        text.append(tail);
        onText.accept(tail);
        long end = System.nanoTime();
        return new GenerationResult(text.toString(), prompt.length, generated,
                (prefillEnd - start) / 1e9, (end - prefillEnd) / 1e9, reason);
    }
}
