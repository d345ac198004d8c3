package io.longkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.testing.TestCorpus;
import io.longkv.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench scbench} and {@code bench scbench generate} end to end on a tiny synthetic model. */
class ScbenchCommandTest {
    @TempDir
    static Path dir;
    static String model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModels.LLAMA, dir.resolve("tiny.gguf"), 3).toString();
    }

    @Test
    void generatedFilesRunUnderTwoMethodsAndResume() throws Exception {
        Path data = dir.resolve("data");
        CliRunner.Result r = CliRunner.run("bench", "scbench", "generate", "--model", model, "--out", data.toString(),
                "--tasks", "kv,passkey", "--preset", "quick", "--length", "700", "--corpus", TestCorpus.directory().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("scbench_kv.jsonl: 1 sessions"), r.out());
        assertTrue(Files.readString(data.resolve("scbench_passkey.jsonl")).contains("\"multi_turns\""));

        Path out = dir.resolve("out");
        String[] args = {"bench", "scbench", "--model", model, "--data", data.resolve("scbench_kv.jsonl").toString(),
                "--kv", "full;streaming:sink=4,window=60", "--out", out.toString(), "--max-new-tokens", "4", "-t", "1"};
        r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| streaming:sink=4,window=60,shift=true | multi-turn |"), r.out());
        assertEquals(2 * 2 * 2, Files.readAllLines(out.resolve("results.jsonl")).size(), "methods x modes x turns");
        for (String report : new String[] {"summary.csv", "summary.md", "report.html"}) {
            assertTrue(Files.size(out.resolve(report)) > 0, report);
        }

        r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("(already done)"), r.err());
        assertEquals(8, Files.readAllLines(out.resolve("results.jsonl")).size(), "a second run adds nothing");
        assertTrue(Files.readAllLines(out.resolve("results.jsonl")).stream().noneMatch(l -> l.contains("prompt_tail")));

        Path traced = dir.resolve("traced");
        r = CliRunner.run("bench", "scbench", "--model", model, "--data", data.resolve("scbench_kv.jsonl").toString(), "--out",
                traced.toString(), "--mode", "multi-request", "--max-new-tokens", "2", "--trace", "-t", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readAllLines(traced.resolve("results.jsonl")).stream().allMatch(l -> l.contains("\"prompt_tail\":\"")
                && l.contains("The value associated with the specified key is:")), "--trace alone writes each prompt's end");
    }

    @Test
    void badInputGivesOneLineErrors() throws Exception {
        Path bad = Files.writeString(dir.resolve("scbench_kv.jsonl"), "{\"id\": 1, \"context\": \"c\"\n");
        CliRunner.Result r = CliRunner.run("bench", "scbench", "--model", model, "--data", bad.toString(), "--out",
                dir.resolve("o1").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("scbench_kv.jsonl line 1: malformed JSON"), r.err());

        Path unnamed = Files.writeString(dir.resolve("mine.jsonl"), "{\"id\": 1, \"context\": \"c\", \"multi_turns\": "
                + "[{\"input\": \"q\", \"answer\": \"a\"}]}\n");
        r = CliRunner.run("bench", "scbench", "--model", model, "--data", unnamed.toString(), "--out", dir.resolve("o2").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: unknown task 'mine'"), r.err());

        r = CliRunner.run("bench", "scbench", "generate", "--model", model, "--out", dir.resolve("o3").toString(), "--tasks", "poetry");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: unknown task 'poetry'"), r.err());

        String corpus = TestCorpus.directory().toString();
        r = CliRunner.run("bench", "scbench", "generate", "--model", model, "--out", dir.resolve("o4").toString(), "--tasks", "vt",
                "--length", "300", "--corpus", corpus);
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: vt: even the smallest session exceeds 300 tokens"), r.err());
        r = CliRunner.run("bench", "scbench", "generate", "--model", model, "--out", dir.resolve("o5").toString(), "--preset", "quick",
                "--length", "900", "--corpus", corpus);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("scbench: skipping vt: even the smallest session exceeds 900 tokens"), "all tasks skip what cannot fit");
        assertTrue(Files.exists(dir.resolve("o5/scbench_kv.jsonl")));

        r = CliRunner.run("bench", "scbench", "--model", model, "--tasks", "kv");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: missing --out DIR"), r.err());
    }
}
