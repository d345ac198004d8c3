package io.longkv.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Word splits worked out by hand from each pre-tokenizer's regex. */
class PreTokenizerTest {
    private static final String TEXT = "Hello world's  123 ab!!\n\n  x";

    static List<String> split(String pre, String text) {
        int[] cps = text.codePoints().toArray();
        IntList ends = PreTokenizer.forName(pre).split(cps);
        List<String> words = new ArrayList<>();
        for (int i = 0, start = 0; i < ends.size(); start = ends.get(i++)) {
            words.add(new String(cps, start, ends.get(i) - start));
        }
        return words;
    }

    @Test
    void gpt2() {
        assertEquals(List.of("Hello", " world", "'s", " ", " 123", " ab", "!!", "\n\n ", " x"), split("gpt-2", TEXT));
        assertEquals(List.of("I", "'", "M", " fine"), split("gpt-2", "I'M fine"), "contractions are case-sensitive");
        assertEquals(List.of("trailing", "   "), split("gpt-2", "trailing   "));
        assertEquals(List.of("a", "\t", "b", " ", "\u00a0", "c"), split("gpt-2", "a\tb \u00a0c"), "U+00A0 is whitespace");
    }

    @Test
    void smollmIsolatesDigits() {
        assertEquals(List.of("Hello", " world", "'s", "  ", "1", "2", "3", " ab", "!!", "\n\n ", " x"), split("smollm", TEXT));
        assertEquals(List.of("x", "²", "³", " ", "٣"), split("smollm", "x²³ ٣"), "\\p{N} covers superscripts and Arabic-Indic digits");
    }

    @Test
    void llama3() {
        assertEquals(List.of("Hello", " world", "'s", " ", " ", "123", " ab", "!!\n\n", " ", " x"), split("llama-bpe", TEXT));
        assertEquals(List.of("123", "45"), split("llama3", "12345"));
        assertEquals(List.of("I", "'M", " fine"), split("llama3", "I'M fine"), "contractions ignore case");
        assertEquals(List.of("\t\n", "foo"), split("llama3", "\t\nfoo"));
        assertEquals(List.of("(foo", ")\r\n"), split("llama3", "(foo)\r\n"));
    }

    @Test
    void qwen2TakesOneDigitAtATime() {
        assertEquals(List.of("1", "2", "3", "4", "5", "abc"), split("qwen2", "12345abc"));
    }

    @Test
    void defaultSplitsPunctuationAndNumberTriples() {
        assertEquals(List.of("a", "+", "b", "=", "123", "45", "!?"), split("default", "a+b=12345!?"));
    }

    @Test
    void unknownNameListsTheSupportedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreTokenizer.forName("tekken"));
        assertTrue(e.getMessage().contains("'tekken'") && e.getMessage().contains("smollm"), e.getMessage());
    }
}
