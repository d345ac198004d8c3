package io.longkv.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longkv.gguf.GgufFile;
import io.longkv.testing.TestModels;
import org.junit.jupiter.api.BeforeAll;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default model's tokenizer against llama.cpp's ids and text (fixtures/tokenizer/smollm2.jsonl). */
@Tag("model")
class SmolLm2TokenizerTest {
    record Case(String category, String text, int[] ids, int[] idsSpecial, String detok, String detokSpecial) {
    }

    static Tokenizer tokenizer;
    static List<Case> cases;

    @BeforeAll
    static void load() throws IOException {
        try (GgufFile file = GgufFile.open(TestModels.defaultModel())) {
            tokenizer = Tokenizer.fromGguf(file.metadata());
        }
        cases = readFixture("/fixtures/tokenizer/smollm2.jsonl");
    }

    static List<Case> readFixture(String resource) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Case> out = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(SmolLm2TokenizerTest.class.getResourceAsStream(resource), resource);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            JsonNode meta = json.readTree(reader.readLine()).get("meta");
            for (String line; (line = reader.readLine()) != null; ) {
                JsonNode n = json.readTree(line);
                out.add(new Case(n.get("cat").asText(), n.get("text").asText(), ids(n.get("ids")), ids(n.get("ids_sp")),
                        n.get("detok").asText(), n.get("detok_sp").asText()));
            }
            assertEquals(meta.get("count").asInt(), out.size(), "fixture count");
        }
        return out;
    }

    private static int[] ids(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = array.get(i).asInt();
        }
        return ids;
    }

    @Test
    void encodesLikeLlamaCpp() {
        List<String> mismatches = new ArrayList<>();
        int matched = 0;
        for (Case c : cases) {
            int[] plain = tokenizer.encode(c.text(), false);
            int[] special = tokenizer.encode(c.text(), true);
            if (Arrays.equals(plain, c.ids()) && Arrays.equals(special, c.idsSpecial())) {
                matched++;
            } else if (mismatches.size() < 10) {
                mismatches.add(c.category() + " " + show(c.text()) + "\n  want " + Arrays.toString(c.ids())
                        + " / " + Arrays.toString(c.idsSpecial()) + "\n  got  " + Arrays.toString(plain) + " / " + Arrays.toString(special));
            }
        }
        System.out.printf("SmolLM2 tokenizer: %d/%d strings identical to llama.cpp in both parseSpecial modes%n", matched, cases.size());
        assertEquals(cases.size(), matched, String.join("\n", mismatches));
    }

    @Test
    void decodesLikeLlamaCpp() {
        for (Case c : cases) {
            assertEquals(c.detok(), tokenizer.decode(c.ids()), () -> "detok of " + show(c.text()));
            assertEquals(c.detokSpecial(), tokenizer.decode(c.idsSpecial()), () -> "detok_sp of " + show(c.text()));
        }
    }

    @Test
    void decodeInvertsEncode() {
        for (Case c : cases) {
            assertEquals(c.text(), tokenizer.decode(tokenizer.encode(c.text(), false)), () -> show(c.text()));
            assertEquals(c.text(), tokenizer.decode(tokenizer.encode(c.text(), true)), () -> show(c.text()));
        }
    }

    @Test
    void streamingDecodeEqualsFullDecode() {
        for (Case c : cases) {
            int[] ids = c.idsSpecial();
            StreamingDecoder decoder = tokenizer.streamingDecoder();
            StringBuilder text = new StringBuilder();
            for (int id : ids) {
                text.append(decoder.accept(id));
            }
            text.append(decoder.flush());
            assertEquals(tokenizer.decode(ids), text.toString(), () -> show(c.text()));
        }
    }

    @Test
    void specialTokensAndEndOfGeneration() {
        assertEquals(49152, tokenizer.vocabSize());
        assertEquals(1, tokenizer.bos());
        assertEquals(2, tokenizer.eos());
        assertEquals(2, tokenizer.eot());
        assertEquals(false, tokenizer.addBos());
        // llama.cpp: eos <|im_end|>, <|endoftext|> by name, and <reponame> as the fill-in-the-middle repo token
        assertArrayEquals(new int[] {0, 2, 4}, tokenizer.endOfGenerationTokens());
        assertEquals(1, tokenizer.specialToken("<|im_start|>").orElseThrow());
        assertTrue(tokenizer.specialToken("hello").isEmpty());
    }

    static String show(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + shown.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "'";
    }
}
