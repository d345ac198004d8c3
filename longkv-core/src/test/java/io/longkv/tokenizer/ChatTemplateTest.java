package io.longkv.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longkv.gguf.GgufFile;
import io.longkv.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatTemplateTest {
    /** Llama 3, Mistral, Qwen2.5 and a template of Python-isms, rendered by Jinja2 (fixtures/chat/compat.json). */
    @Test
    void rendersLikeJinja2() throws IOException {
        JsonNode fixture;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/fixtures/chat/compat.json"))) {
            fixture = new ObjectMapper().readTree(in);
        }
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> render : fixture.get("renders").properties()) {
            String[] key = render.getKey().split("/");
            ChatTemplate template = ChatTemplate.of(fixture.get("templates").get(key[0]).asText(), "<s>", "</s>");
            List<ChatMessage> messages = messages(fixture.get("conversations").get(key[1]));
            String expected = render.getValue().asText();
            String actual;
            try {
                actual = template.render(messages, Boolean.parseBoolean(key[2]));
            } catch (IllegalArgumentException e) {
                actual = "ERROR: " + e.getMessage().replaceFirst("^chat template failed: ", "");
            }
            checked++;
            if (!expected.equals(actual)) {
                failures.add(render.getKey() + "\n--- jinja2:\n" + expected + "\n--- jinjava:\n" + actual);
            }
        }
        assertEquals(32, checked);
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }

    static List<ChatMessage> messages(JsonNode array) {
        List<ChatMessage> out = new ArrayList<>();
        array.forEach(m -> out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
        return out;
    }

    @Test
    void modelWithoutTemplateNeedsAnExplicitOne(@TempDir Path dir) throws IOException {
        Path gguf = new GgufWriter()
                .putStrings("tokenizer.ggml.tokens", "<s>", "</s>", "a")
                .putU32("tokenizer.ggml.bos_token_id", 0)
                .putU32("tokenizer.ggml.eos_token_id", 1)
                .write(dir.resolve("m.gguf"));
        Path file = Files.writeString(dir.resolve("t.jinja"), "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}{{ eos_token }}");
        try (GgufFile model = GgufFile.open(gguf)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatTemplate.fromGguf(model.metadata()));
            assertTrue(e.getMessage().contains("no tokenizer.chat_template"), e.getMessage());
            List<ChatMessage> chat = List.of(ChatMessage.user("hi"));
            assertEquals("<s>hi</s>", ChatTemplate.fromFile(file, model.metadata()).render(chat, true));
            assertEquals("[hi]", ChatTemplate.of("[{{ messages[0]['content'] }}]", model.metadata()).render(chat, false));
        }
    }

    @Test
    void templateErrorsAreReported() {
        ChatTemplate broken = ChatTemplate.of("{% for m in messages %}{{ m.content }}", "<s>", "</s>");
        assertThrows(IllegalArgumentException.class, () -> broken.render(List.of(ChatMessage.user("x")), false));
        ChatTemplate raising = ChatTemplate.of("{{ raise_exception('no system role here') }}", null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> raising.render(List.of(), false));
        assertEquals("chat template failed: no system role here", e.getMessage());
    }

    @Test
    void strftimeNowFormatsTheDate() {
        String rendered = ChatTemplate.of("{{ strftime_now('%Y-%m-%d') }}", null, null).render(List.of(), false);
        assertTrue(rendered.matches("\\d{4}-\\d{2}-\\d{2}"), rendered);
    }

}
