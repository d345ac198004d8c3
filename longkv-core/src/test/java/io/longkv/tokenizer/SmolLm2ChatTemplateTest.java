package io.longkv.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longkv.gguf.GgufFile;
import io.longkv.testing.TestModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default model's embedded template against Jinja2's renders and llama.cpp's ids (fixtures/chat/smollm2.jsonl). */
@Tag("model")
class SmolLm2ChatTemplateTest {
    @Test
    void rendersAndTokenizesLikeTheReference() throws IOException {
        ChatTemplate template;
        Tokenizer tokenizer;
        try (GgufFile file = GgufFile.open(TestModels.defaultModel())) {
            template = ChatTemplate.fromGguf(file.metadata());
            tokenizer = Tokenizer.fromGguf(file.metadata());
        }
        ObjectMapper json = new ObjectMapper();
        List<String> failures = new ArrayList<>();
        int total = 0;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/fixtures/chat/smollm2.jsonl"));
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            JsonNode meta = json.readTree(reader.readLine()).get("meta");
            assertEquals(meta.get("template").asText(), template.source());
            for (String line; (line = reader.readLine()) != null; total++) {
                JsonNode c = json.readTree(line);
                String prompt = template.render(ChatTemplateTest.messages(c.get("messages")), c.get("add_generation_prompt").asBoolean());
                int[] ids = tokenizer.encode(prompt, true);
                int[] expectedIds = json.treeToValue(c.get("ids"), int[].class);
                if (!prompt.equals(c.get("prompt").asText()) || !Arrays.equals(ids, expectedIds)) {
                    failures.add(c.get("name").asText() + "/" + c.get("add_generation_prompt") + ":\n" + prompt);
                }
            }
            assertEquals(meta.get("count").asInt(), total);
        }
        System.out.printf("SmolLM2 chat template: %d/%d conversations rendered and tokenized identically%n", total - failures.size(), total);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
