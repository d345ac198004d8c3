package io.longkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.testing.TestModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The README's main command on the default model, with the default (8-bit) decode activations. */
@Tag("model")
class ReadmeCommandTest {
    @Test
    void greedyChatAnswerNamesParis() {
        CliRunner.Result r = CliRunner.run("generate", "--model", TestModels.defaultModel().toString(), "--chat", "--temp", "0",
                "-n", "16", "-p", "What is the capital of France?");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("The capital of France is Paris."), r.out());
    }
}
