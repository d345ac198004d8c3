package io.longkv.bench.scbench.run;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.TaskPrompts;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import io.longkv.engine.Conversation;
import io.longkv.tokenizer.ChatMessage;
import io.longkv.tokenizer.ChatTemplate;
import io.longkv.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A session's prompts as token segments, shared by both modes so the context is tokenized once:
 * <ul>
 * <li>{@code context}: BOS, the chat template up to the user's message, the instruction and the context;</li>
 * <li>{@code firstQuery}: the rest of the first user message and the assistant header;</li>
 * <li>{@code followUps[t]} (t ≥ 1): what the chat template adds for the gold answer of turn t-1 and query t;</li>
 * <li>{@code requests[t]}: query t as the end of the context's user message (multi-request mode).</li>
 * </ul>
 * Segments are found by rendering with a placeholder for the context and cutting the text where it sits, so
 * the template must render a conversation as a prefix of the same conversation continued (ChatML, Llama 3 and
 * most templates do). A context too long for the window is cut in the middle, as SCBench truncates its first
 * prompt.
 */
public record PromptPlan(int[] context, int[] firstQuery, List<int[]> followUps, List<int[]> requests, List<int[]> golds,
                         int truncatedTokens) {
    private static final String PLACEHOLDER = "@@LONGKV-CONTEXT-PLACEHOLDER@@";
    /** Gold answers are teacher-forced up to this many tokens (RepoQA functions can be long). */
    static final int MAX_GOLD_TOKENS = 128;

    /**
     * @param contextLength the session's window: the longest multi-turn history (and every request) plus the
     *                      largest decode limit must fit, else the context is cut in the middle
     */
    public static PromptPlan build(ScTask task, ScSession session, Tokenizer tokenizer, ChatTemplate template,
                                   int contextLength, int maxNewTokens) {
        List<ScTurn> turns = session.turns();
        String head = TaskPrompts.head(task, session);
        List<ChatMessage> conversation = new ArrayList<>();
        conversation.add(ChatMessage.user(head + PLACEHOLDER + "\n\n" + TaskPrompts.firstQuery(task, turns.getFirst())));
        String rendered = template.render(conversation, true);
        int at = rendered.indexOf(PLACEHOLDER);
        if (at < 0) {
            throw new IllegalArgumentException("the chat template dropped the user's message");
        }
        String beforeContext = rendered.substring(0, at);
        int[] firstQuery = tokenizer.encode(rendered.substring(at + PLACEHOLDER.length()), true);

        List<int[]> followUps = new ArrayList<>();
        List<int[]> requests = new ArrayList<>();
        List<int[]> golds = new ArrayList<>();
        followUps.add(new int[0]);
        for (int t = 0; t < turns.size(); t++) {
            ScTurn turn = turns.get(t);
            String query = TaskPrompts.followUpQuery(task, turn);
            String request = template.render(List.of(ChatMessage.user(head + PLACEHOLDER + "\n\n" + query)), true);
            requests.add(tokenizer.encode(request.substring(request.indexOf(PLACEHOLDER) + PLACEHOLDER.length()), true));
            int[] gold = tokenizer.encode(turn.goldText(), false);
            golds.add(Arrays.copyOf(gold, Math.min(gold.length, MAX_GOLD_TOKENS)));
            if (t > 0) {
                conversation.add(ChatMessage.assistant(turns.get(t - 1).goldText()));
                conversation.add(ChatMessage.user(query));
                String next = template.render(conversation, true);
                if (!next.startsWith(rendered)) {
                    throw new IllegalArgumentException("the chat template does not render a continued conversation as a "
                            + "continuation; multi-turn sessions need one that does");
                }
                followUps.add(tokenizer.encode(next.substring(rendered.length()), true));
                rendered = next;
            }
        }

        int[] context = Conversation.tokenizeRaw(tokenizer, beforeContext + session.contextText());
        int multiTurn = context.length + firstQuery.length + followUps.stream().mapToInt(f -> f.length).sum();
        int multiRequest = context.length + requests.stream().mapToInt(r -> r.length).max().orElse(0);
        int excess = Math.max(multiTurn, multiRequest) + maxNewTokens - contextLength;
        int truncated = 0;
        if (excess > 0) {
            truncated = excess;
            context = cutMiddle(context, excess);
        }
        return new PromptPlan(context, firstQuery, followUps, requests, golds, truncated);
    }

    /** The first turn's prompt: context and first query as one prefill. */
    public int[] firstPrompt() {
        return concat(context, firstQuery);
    }

    /** Every token the model has seen when it answers {@code turn} (0-based) in {@code mode}. */
    public int[] history(Mode mode, int turn) {
        if (mode == Mode.MULTI_REQUEST) {
            return concat(context, requests.get(turn));
        }
        int[] seen = firstPrompt();
        for (int t = 1; t <= turn; t++) {
            seen = concat(seen, followUps.get(t));
        }
        return seen;
    }

    /** Drops {@code count} tokens from the middle, keeping the first and last halves of what remains. */
    static int[] cutMiddle(int[] tokens, int count) {
        if (count >= tokens.length) {
            throw new IllegalArgumentException("the context window is too small for this session's queries and answers");
        }
        int keep = tokens.length - count;
        int front = keep / 2;
        int[] out = new int[keep];
        System.arraycopy(tokens, 0, out, 0, front);
        System.arraycopy(tokens, tokens.length - (keep - front), out, front, keep - front);
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
