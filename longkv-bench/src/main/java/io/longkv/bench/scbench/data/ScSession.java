package io.longkv.bench.scbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One SCBench record: a shared context and the turns asked about it. {@code context} is text, or (Math.Find)
 * a list of integers rendered the way Python prints a list.
 *
 * @param lang the language of a RepoQA repository, else null
 * @param repo the repository name of a RepoQA record, else null
 */
public record ScSession(String id, JsonNode context, List<ScTurn> turns, String lang, String repo) {
    public ScSession {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a session needs an 'id'");
        }
        if (context == null || !(context.isTextual() || context.isArray())) {
            throw new IllegalArgumentException("session " + id + ": 'context' must be a string or a list of numbers");
        }
        if (turns == null || turns.isEmpty()) {
            throw new IllegalArgumentException("session " + id + ": 'multi_turns' must hold at least one turn");
        }
        turns = List.copyOf(turns);
    }

    /** The context as the prompt shows it. */
    public String contextText() {
        if (context.isTextual()) {
            return context.asText();
        }
        return java.util.stream.StreamSupport.stream(context.spliterator(), false).map(JsonNode::asText)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** The same session with only its first {@code max} turns. */
    public ScSession limitTurns(int max) {
        return turns.size() <= max ? this : new ScSession(id, context, turns.subList(0, max), lang, repo);
    }
}
