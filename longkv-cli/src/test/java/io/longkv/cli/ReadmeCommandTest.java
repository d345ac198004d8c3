package io.longkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.testing.TestModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's main command on the default model, with the default (8-bit) activations. The prompt is
 * one llama.cpp answers correctly (top-2 margin 1.57 at the first token); for "What is the capital of
 * France?" llama.cpp's greedy answer, which LongKV now reproduces, is in French.
 */
@Tag("model")
class ReadmeCommandTest {
    @Test
    void greedyChatAnswerNamesParis() {
        CliRunner.Result r = CliRunner.run("generate", "--model", TestModels.defaultModel().toString(), "--chat", "--temp", "0",
                "-n", "16", "-p", "Name the capital of France.");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("The capital of France is Paris."), r.out());
    }
}
