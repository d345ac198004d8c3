package io.longkv.engine;

import io.longkv.tokenizer.ChatMessage;
import io.longkv.tokenizer.ChatTemplate;
import io.longkv.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-turn chat over one session. Each user turn renders the whole conversation with the chat
 * template, keeps the longest prefix the session already holds, and returns only the tokens to append:
 * earlier turns are never prefilled again.
 */
public final class Conversation {
    private final Session session;
    private final ChatTemplate template;
    private final String system;
    private final List<ChatMessage> messages = new ArrayList<>();

    public Conversation(Session session, ChatTemplate template, String system) {
        this.session = session;
        this.template = template;
        this.system = system;
        reset();
    }

    /** Adds a user message; truncates the session to what it shares with the new prompt and returns the rest. */
    public int[] userTurn(String text) {
        messages.add(new ChatMessage("user", text));
        int[] prompt = tokenizeRaw(session.model().tokenizer(), template.render(messages, true));
        int shared = 0;
        int limit = Math.min(prompt.length, session.length());
        while (shared < limit && prompt[shared] == session.token(shared)) {
            shared++;
        }
        // At least one token must be run so that fresh logits come out of it.
        if (shared == prompt.length) {
            shared--;
        }
        session.truncate(shared);
        int[] rest = new int[prompt.length - shared];
        System.arraycopy(prompt, shared, rest, 0, rest.length);
        return rest;
    }

    public void assistantReply(String text) {
        messages.add(new ChatMessage("assistant", text));
    }

    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** Forgets every turn (the system message stays) and empties the session. */
    public void reset() {
        messages.clear();
        if (system != null) {
            messages.add(new ChatMessage("system", system));
        }
        session.truncate(0);
    }

    /** Prompt text to ids: special tokens in the text are parsed, BOS added when the model wants it. */
    public static int[] tokenizeRaw(Tokenizer tokenizer, String text) {
        return withBos(tokenizer, tokenizer.encode(text, true));
    }

    /** Prepends BOS when the model asks for it and the text did not already start with it. */
    private static int[] withBos(Tokenizer tokenizer, int[] ids) {
        if (!tokenizer.addBos() || tokenizer.bos() < 0 || (ids.length > 0 && ids[0] == tokenizer.bos())) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = tokenizer.bos();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }
}
