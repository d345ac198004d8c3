package io.longkv.tokenizer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Byte-level BPE on a hand-made vocabulary: the 256 byte characters, a few merges, special tokens. */
class ByteLevelBpeTokenizerTest {
    static final int END = 0;
    static final int START = 1;
    static final int START_LONG = 2;
    static final int TAG = 3;
    static final int BYTES = 4; // the byte-level character of byte b has id BYTES + b

    /** Ids of merged tokens, in the order added after the bytes. */
    static final int AB = BYTES + 256;
    static final int ABC = AB + 1;
    static final int SPACE_A = AB + 2;
    static final int SPACE_AB = AB + 3;

    static SyntheticVocab vocab(String pre, String... merges) {
        SyntheticVocab v = new SyntheticVocab("gpt2");
        v.add("<|end|>", TokenType.CONTROL);
        v.add("<|start|>", TokenType.CONTROL);
        v.add("<|start|><|end|>", TokenType.CONTROL);
        v.add("<tag>", TokenType.USER_DEFINED);
        for (int b = 0; b < 256; b++) {
            v.add(String.valueOf(ByteLevel.charOf(b)));
        }
        v.add("ab");
        v.add("abc");
        v.add("Ġa");
        v.add("Ġab");
        v.writer.putString("tokenizer.ggml.pre", pre).putStrings("tokenizer.ggml.merges", merges)
                .putU32("tokenizer.ggml.eos_token_id", END);
        return v;
    }

    static int b(char c) {
        return BYTES + c;
    }

    @Test
    void mergesLowestRankFirst() {
        Tokenizer t = vocab("gpt-2", "a b", "ab c", "Ġ a", "Ġa b").tokenizer();
        assertArrayEquals(new int[] {ABC}, t.encode("abc", false));
        // "a b" outranks "Ġ a", so " ab" becomes Ġ + ab, and no merge joins those two
        assertArrayEquals(new int[] {b(' '), AB}, t.encode(" ab", false));
        assertArrayEquals(new int[] {ABC, b(' '), AB, b('d')}, t.encode("abc abd", false));

        Tokenizer spaceFirst = vocab("gpt-2", "Ġ a", "a b", "ab c", "Ġa b").tokenizer();
        assertArrayEquals(new int[] {SPACE_AB}, spaceFirst.encode(" ab", false));
    }

    @Test
    void bytesOfMultiByteCharacters() {
        Tokenizer t = vocab("gpt-2").tokenizer();
        assertArrayEquals(new int[] {BYTES + 0xC3, BYTES + 0xA9}, t.encode("é", false));
        assertEquals("é", t.decode(new int[] {BYTES + 0xC3, BYTES + 0xA9}));
        assertEquals("\uFFFD", t.decode(new int[] {BYTES + 0xC3}), "half a character decodes to U+FFFD");
        assertArrayEquals(new byte[] {(byte) 0xC3}, t.tokenBytes(BYTES + 0xC3));
    }

    @Test
    void specialTokens() {
        Tokenizer t = vocab("gpt-2", "a b").tokenizer();
        assertArrayEquals(new int[] {START, AB, END}, t.encode("<|start|>ab<|end|>", true));
        int[] plain = t.encode("<|end|>", false);
        assertEquals(7, plain.length, "without parseSpecial a control token is plain text");
        assertEquals("<|end|>", t.decode(plain));
        assertArrayEquals(new int[] {START_LONG}, t.encode("<|start|><|end|>", true), "the longer special token wins");
        assertArrayEquals(new int[] {AB, TAG, AB}, t.encode("ab<tag>ab", false), "user-defined tokens are always matched");
        assertEquals("<|start|>ab<tag>", t.decode(new int[] {START, AB, TAG}));
        assertEquals(START, t.specialToken("<|start|>").orElseThrow());
        assertTrue(t.specialToken("ab").isEmpty());
    }

    @Test
    void llama3FamilyTakesWholeWordsThatAreTokens() {
        // no merge builds "abc" from its bytes, but the word is a token: ignore_merges takes it whole
        SyntheticVocab v = vocab("llama-bpe");
        v.writer.putU32("tokenizer.ggml.bos_token_id", START);
        assertArrayEquals(new int[] {ABC}, v.tokenizer().encode("abc", false));
        Tokenizer gpt2 = vocab("gpt-2").tokenizer();
        assertArrayEquals(new int[] {b('a'), b('b'), b('c')}, gpt2.encode("abc", false));
    }

    @Test
    void metadataFlags() {
        SyntheticVocab v = vocab("llama3");
        v.writer.putU32("tokenizer.ggml.bos_token_id", START);
        Tokenizer llama3 = v.tokenizer();
        assertTrue(llama3.addBos(), "llama3 pre-tokenizers add BOS unless the GGUF says otherwise");
        assertEquals(START, llama3.bos());
        assertArrayEquals(new int[] {END}, llama3.endOfGenerationTokens(), "eos, and <|end|> by name");
        assertTrue(llama3.isEndOfGeneration(END));
        assertEquals(AB + 4, llama3.vocabSize());
    }

    @Test
    void clearErrorsForUnsupportedInput() {
        IllegalArgumentException pre = assertThrows(IllegalArgumentException.class, () -> vocab("jais-2").tokenizer());
        assertTrue(pre.getMessage().contains("unsupported tokenizer.ggml.pre 'jais-2'"), pre.getMessage());

        SyntheticVocab bert = new SyntheticVocab("bert");
        bert.add("a");
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class, bert::tokenizer);
        assertTrue(model.getMessage().contains("unsupported tokenizer.ggml.model 'bert'"), model.getMessage());

        SyntheticVocab noMerges = new SyntheticVocab("gpt2");
        noMerges.add("a");
        noMerges.writer.putString("tokenizer.ggml.pre", "gpt-2");
        IllegalArgumentException merges = assertThrows(IllegalArgumentException.class, noMerges::tokenizer);
        assertTrue(merges.getMessage().contains("no tokenizer.ggml.merges"), merges.getMessage());

        IllegalArgumentException noBos = assertThrows(IllegalArgumentException.class, () -> vocab("llama3").tokenizer());
        assertTrue(noBos.getMessage().contains("bos_token_id is not set"), noBos.getMessage());

        Tokenizer t = vocab("gpt-2").tokenizer();
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {AB + 4}));
    }

    @Test
    void missingPreTokenizerFallsBackToDefault() {
        SyntheticVocab v = new SyntheticVocab("gpt2");
        int[] ids = {v.add("1"), v.add("2"), v.add("3"), v.add("4"), v.add("12"), v.add("34"), v.add("1234")};
        v.writer.putStrings("tokenizer.ggml.merges", "3 4", "1 2", "12 34");
        // gpt-2 would merge the word "1234" whole; 'default' first cuts digit runs into triples: "123" "4"
        assertArrayEquals(new int[] {ids[4], ids[2], ids[3]}, v.tokenizer().encode("1234", false));
    }
}
