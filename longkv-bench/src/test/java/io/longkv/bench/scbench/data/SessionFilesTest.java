package io.longkv.bench.scbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.bench.scbench.ScTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SCBench's JSONL records in and out. */
class SessionFilesTest {
    /** Shaped like lines of SCBench's files: integer ids, an int-list context with int answers, options, sub-tasks. */
    private static final String SCBENCH_LINES = """
            {"id": 0, "context": "{\\"a1\\": \\"v1\\", \\"a2\\": \\"v2\\"}", "multi_turns": [{"input": "Key: \\"a1\\"\\nThe value associated with the specified key is:", "answer": "v1"}, {"input": "Key: \\"a2\\"\\nThe value associated with the specified key is:", "answer": "v2"}]}
            {"id": 7, "context": [55, 422, 95], "multi_turns": [{"input": "The largest number in the list is", "answer": 422}]}
            {"id": 3, "context": "book text", "multi_turns": [{"input": "Who?", "answer": "Jane", "options": ["Jane", "Lydia", "Kitty", "Mary"]}]}
            {"id": 4, "context": "code and kv", "lang": "python", "repo": "psf/requests", "multi_turns": [{"input": "describe f", "answer": "def f(): pass", "task": "scbench_repoqa", "name": "f"}, {"input": "Key: k", "answer": "v", "task": "scbench_kv"}], "extra": 1}
            """;

    @TempDir
    Path dir;

    @Test
    void readsScbenchRecordsAndWritesThemBackUnchanged() throws Exception {
        Path file = Files.writeString(dir.resolve("scbench_mixed.jsonl"), SCBENCH_LINES);
        List<ScSession> sessions = SessionFiles.read(file);
        assertEquals(4, sessions.size());
        assertEquals("0", sessions.get(0).id());
        assertEquals("v2", sessions.get(0).turns().get(1).goldText());
        assertEquals("[55, 422, 95]", sessions.get(1).contextText());
        assertEquals(List.of("422"), sessions.get(1).turns().getFirst().labels());
        assertEquals(List.of("Jane", "Lydia", "Kitty", "Mary"), sessions.get(2).turns().getFirst().options());
        ScSession mixed = sessions.get(3);
        assertEquals("python", mixed.lang());
        assertEquals("f", mixed.turns().getFirst().name());
        assertEquals(ScTask.KV, ScTask.REPOQA_AND_KV.subTask(mixed.turns().get(1)));
        assertNull(sessions.get(0).lang());

        Path copy = dir.resolve("copy.jsonl");
        SessionFiles.write(copy, sessions);
        assertEquals(sessions, SessionFiles.read(copy));
        assertTrue(Files.readString(copy).contains("\"context\":[55,422,95]"), "the int list stays a list");
        assertTrue(Files.readString(copy).contains("\"answer\":422"), "the int answer stays a number");
    }

    @Test
    void malformedLinesNameTheirLine() throws Exception {
        Path broken = Files.writeString(dir.resolve("b.jsonl"), "{\"id\": 1, \"context\": \"c\", \"multi_turns\": [{\"input\": \"q\", \"answer\": \"a\"}]}\n{\"id\": 2,");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SessionFiles.read(broken));
        assertTrue(e.getMessage().contains("line 2: malformed JSON"), e.getMessage());

        Path noTurns = Files.writeString(dir.resolve("n.jsonl"), "{\"id\": 1, \"context\": \"c\"}\n");
        e = assertThrows(IllegalArgumentException.class, () -> SessionFiles.read(noTurns));
        assertTrue(e.getMessage().endsWith("line 1: missing 'multi_turns' list"), e.getMessage());

        Path noAnswer = Files.writeString(dir.resolve("a.jsonl"), "{\"id\": 1, \"context\": \"c\", \"multi_turns\": [{\"input\": \"q\"}]}\n");
        e = assertThrows(IllegalArgumentException.class, () -> SessionFiles.read(noAnswer));
        assertTrue(e.getMessage().contains("a turn needs an 'input' and an 'answer'"), e.getMessage());

        Path empty = Files.writeString(dir.resolve("e.jsonl"), "\n");
        assertThrows(IllegalArgumentException.class, () -> SessionFiles.read(empty));
    }

    @Test
    void unknownTasksAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScTask.byName("scbench_poetry"));
        assertTrue(e.getMessage().startsWith("unknown task 'scbench_poetry'; tasks: kv, prefix_suffix"), e.getMessage());
        assertEquals(ScTask.VT, ScTask.byName("scbench_vt"));
        assertEquals(ScTask.VT, ScTask.byName("vt"));
    }
}
