package io.longkv.bench.scbench.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes sessions as SCBench's JSONL: {@code {id, context, multi_turns: [{input, answer, ...}]}} per line. */
public final class SessionFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionFiles() {
    }

    /** Every record of {@code file}; a malformed line fails with its line number. */
    public static List<ScSession> read(Path file) throws IOException {
        List<ScSession> sessions = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                sessions.add(parse(JSON.readTree(line)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lineNumber + ": " + message(e), e);
            }
        }
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no sessions");
        }
        return sessions;
    }

    public static void write(Path file, List<ScSession> sessions) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ScSession s : sessions) {
                out.write(JSON.writeValueAsString(toJson(s)));
                out.write('\n');
            }
        }
    }

    static ScSession parse(JsonNode record) {
        if (!record.isObject()) {
            throw new IllegalArgumentException("a record must be a JSON object");
        }
        JsonNode turns = record.get("multi_turns");
        if (turns == null || !turns.isArray()) {
            throw new IllegalArgumentException("missing 'multi_turns' list");
        }
        List<ScTurn> parsed = new ArrayList<>();
        for (JsonNode t : turns) {
            List<String> options = null;
            if (t.hasNonNull("options")) {
                options = new ArrayList<>();
                for (JsonNode o : t.get("options")) {
                    options.add(o.asText());
                }
            }
            parsed.add(new ScTurn(text(t, "input"), t.get("answer"), options, text(t, "task"), text(t, "name")));
        }
        return new ScSession(text(record, "id"), record.get("context"), parsed, text(record, "lang"), text(record, "repo"));
    }

    static ObjectNode toJson(ScSession s) {
        ObjectNode record = JSON.createObjectNode();
        record.put("id", s.id());
        record.set("context", s.context());
        ArrayNode turns = record.putArray("multi_turns");
        for (ScTurn t : s.turns()) {
            ObjectNode turn = turns.addObject();
            turn.put("input", t.input());
            turn.set("answer", t.answer());
            if (t.options() != null) {
                t.options().forEach(turn.putArray("options")::add);
            }
            putIfPresent(turn, "task", t.task());
            putIfPresent(turn, "name", t.name());
        }
        putIfPresent(record, "lang", s.lang());
        putIfPresent(record, "repo", s.repo());
        return record;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String message(Exception e) {
        return e instanceof JsonProcessingException j ? "malformed JSON: " + j.getOriginalMessage() : e.getMessage();
    }
}
