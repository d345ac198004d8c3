package io.longkv.bench.scbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One turn of an SCBench session: the query, its gold answer (a string, a number or a list of accepted
 * strings in SCBench's files), and the optional fields some tasks carry.
 *
 * @param options the four choices of En.MultiChoice, else null
 * @param task the sub-task of a turn in the mixed tasks (e.g. {@code scbench_passkey}), else null
 * @param name the requested function's name in RepoQA turns, else null
 */
public record ScTurn(String input, JsonNode answer, List<String> options, String task, String name) {
    public ScTurn {
        if (input == null || answer == null || answer.isNull()) {
            throw new IllegalArgumentException("a turn needs an 'input' and an 'answer'");
        }
        options = options == null ? null : List.copyOf(options);
    }

    /** The accepted answers as strings: a list answer gives each element, anything else one string. */
    public List<String> labels() {
        List<String> labels = new ArrayList<>();
        if (answer.isArray()) {
            answer.forEach(a -> labels.add(a.asText()));
        } else {
            labels.add(answer.asText());
        }
        return labels;
    }

    /** The answer written back into the conversation in multi-turn mode (SCBench's golden context). */
    public String goldText() {
        return labels().getFirst();
    }
}
