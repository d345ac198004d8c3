package io.longkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longkv.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end on a tiny synthetic model. */
class CommandsTest {
    @TempDir
    static Path dir;
    static String model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModels.LLAMA, dir.resolve("tiny.gguf"), 1).toString();
    }

    @Test
    void modelInfoDescribesTheFile() {
        CliRunner.Result r = CliRunner.run("model", "info", "--model", model);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("architecture:  llama"), r.out());
        assertTrue(r.out().contains("F32"), r.out());
    }

    @Test
    void malformedModelGivesOneLineError() throws Exception {
        Path bad = Files.write(dir.resolve("bad.gguf"), "GGUF\u0003\0\0\0garbage".getBytes());
        CliRunner.Result r = CliRunner.run("model", "info", "--model", bad.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: malformed GGUF at byte "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void generateJsonReportsCountsAndSpeeds() throws Exception {
        CliRunner.Result r = CliRunner.run("generate", "--model", model, "-p", "hello world", "-n", "6", "--temp", "0", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(11, json.get("prompt_tokens").asInt());
        assertTrue(json.get("generated_tokens").asInt() >= 1 && json.get("generated_tokens").asInt() <= 6);
        assertTrue(json.get("kv_bytes").asLong() > 0);
        assertTrue(json.get("prefill_tokens_per_second").asDouble() > 0);
        JsonNode kv = json.get("kv");
        assertEquals("full:dtype=f32,flash=auto", kv.get("spec").asText());
        assertTrue(kv.get("hot_bytes").asLong() > 0 && kv.get("bytes_read").asLong() > 0, kv.toString());
        assertEquals(1, kv.get("prefix_misses").asInt());
    }

    @Test
    void kvOptionSelectsTheMethodAndRejectsBadSpecs() throws Exception {
        CliRunner.Result r = CliRunner.run("generate", "--model", model, "-p", "hello", "-n", "2", "--temp", "0", "--json",
                "--kv", "layers=0:full:dtype=f16;1-:full:dtype=f32");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("layers=0-0:full:dtype=f16,flash=auto;1-:full:dtype=f32,flash=auto", new ObjectMapper().readTree(r.out()).get("kv").get("spec").asText());
        r = CliRunner.run("generate", "--model", model, "-p", "hello", "--kv", "full:dtype=f8");
        assertEquals(1, r.exitCode());
        assertEquals("error: KV method 'full' parameter 'dtype' must be one of f32, f16, q8_0, got 'f8'", r.err().strip());
        r = CliRunner.run("generate", "--model", model, "-p", "hello", "--kv-memory", "1KiB");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: KV memory budget exhausted"), r.err());
    }

    @Test
    void kvListShowsMethodsWithParameters() {
        CliRunner.Result r = CliRunner.run("kv", "list");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("full  the whole context in paged blocks"), r.out());
        assertTrue(r.out().matches("(?s).*dtype +f32\\|f16\\|q8_0 +default f32 .*"), r.out());
    }

    @Test
    void greedyGenerationIsDeterministic() {
        String[] args = {"generate", "--model", model, "-p", "abc", "-n", "8", "--temp", "0"};
        assertEquals(CliRunner.run(args).out(), CliRunner.run(args).out());
    }

    @Test
    void promptLongerThanTheContextFailsClearly() {
        CliRunner.Result r = CliRunner.run("generate", "--model", model, "--ctx", "8", "-p", "this prompt is longer than eight tokens");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("context holds 8"), r.err());
    }

    @Test
    void logitsPrintsOneRowPerPosition() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "some text to score");
        CliRunner.Result r = CliRunner.run("logits", "--model", model, "--text-file", text.toString(), "--top", "3", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(18, r.out().lines().count());
        JsonNode row = new ObjectMapper().readTree(r.out().lines().findFirst().orElseThrow());
        assertEquals(3, row.get("top_ids").size());
        assertTrue(row.get("lse").asDouble() >= row.get("top_logits").get(0).asDouble());
    }

    @Test
    void perplexityOfATextIsFinite() throws Exception {
        Path text = Files.writeString(dir.resolve("p.txt"), "the quick brown fox jumps over the lazy dog ".repeat(4));
        CliRunner.Result r = CliRunner.run("perplexity", "--model", model, "--text-file", text.toString(), "--ctx", "32", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(5, json.get("windows").asInt());
        assertEquals(5 * 16, json.get("tokens_scored").asInt());
        assertTrue(Double.isFinite(json.get("perplexity").asDouble()) && json.get("perplexity").asDouble() > 1);
    }

    @Test
    void benchSpeedPrintsRowsPerDepth() throws Exception {
        CliRunner.Result r = CliRunner.run("bench", "speed", "--model", model, "-p", "16", "-n", "4", "-d", "0,32", "-r", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("read_bandwidth_gbs").asDouble() > 0);
        JsonNode rows = json.get("results");
        assertEquals(4, rows.size());
        assertEquals("pp16", rows.get(0).get("test").asText());
        assertEquals(32, rows.get(3).get("n_depth").asInt());
        assertTrue(rows.get(3).get("avg_ts").asDouble() > 0);
        assertEquals("full:dtype=f32,flash=auto", rows.get(3).get("kv").asText());
        assertTrue(rows.get(3).get("attention_gbs").asDouble() > 0 && rows.get(3).get("kv_read_per_token").asLong() > 0);
        assertTrue(rows.get(3).get("attention_share").asDouble() > 0, "a generation row pairs attention with the read bandwidth");
        assertEquals(0, rows.get(2).get("attention_share").asDouble(), "a prompt row has no attention share");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("generate", "--model", model, "-p", "x", "--no-such-flag");
        assertFalse(r.exitCode() == 0);
        assertTrue(r.err().contains("no-such-flag"), r.err());
    }

    @Test
    void benchFidelityPrintsOneJsonLinePerSpecIncludingPerLayerOnes() throws Exception {
        CliRunner.Result r = CliRunner.run("bench", "fidelity", "--model", model, "--kv", "full;layers=0:full;1-:h2o:heavy=24,recent=24",
                "--length", "160", "--scored", "40", "--passkey-lengths", "0", "--corpus", "../data/corpus", "--json");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        JsonNode full = new ObjectMapper().readTree(lines[0]);
        assertEquals("full:dtype=f32,flash=auto", full.get("kv").asText());
        assertEquals(0, full.get("kl").asDouble(), 1e-12);
        assertEquals("layers=0-0:full:dtype=f32,flash=auto;1-:h2o:heavy=24,recent=24", new ObjectMapper().readTree(lines[1]).get("kv").asText());
    }
}
