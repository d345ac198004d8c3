package io.longkv.tokenizer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SentencePiece BPE on a Llama-2-shaped vocabulary: unk, bos, eos, 256 byte tokens, then scored pieces. */
class SentencePieceTokenizerTest {
    static final int UNK = 0;
    static final int BOS = 1;
    static final int EOS = 2;
    static final int BYTE0 = 3; // <0xNN> has id BYTE0 + NN
    static final int SPACE = 259; // ▁
    static final int H = 260;
    static final int E = 261;
    static final int L = 262;
    static final int O = 263;
    static final int SPACE_H = 264;
    static final int EL = 265;
    static final int LL = 266;
    static final int LO = 267;
    static final int SPACE_HEL = 268;
    static final int SPACE_HELLO = 269;

    static SyntheticVocab vocab() {
        SyntheticVocab v = new SyntheticVocab("llama");
        v.add("<unk>", TokenType.UNKNOWN);
        v.add("<s>", TokenType.CONTROL);
        v.add("</s>", TokenType.CONTROL);
        for (int b = 0; b < 256; b++) {
            v.add(String.format("<0x%02X>", b), TokenType.BYTE);
        }
        v.add("▁", TokenType.NORMAL, -10);
        v.add("h", TokenType.NORMAL, -10);
        v.add("e", TokenType.NORMAL, -10);
        v.add("l", TokenType.NORMAL, -10);
        v.add("o", TokenType.NORMAL, -10);
        // merges happen best score first: el, ll, lo, ▁hel, ▁h, ▁hello
        v.add("▁h", TokenType.NORMAL, -5);
        v.add("el", TokenType.NORMAL, -1);
        v.add("ll", TokenType.NORMAL, -2);
        v.add("lo", TokenType.NORMAL, -3);
        v.add("▁hel", TokenType.NORMAL, -4);
        v.add("▁hello", TokenType.NORMAL, -6);
        return v;
    }

    static int b(int value) {
        return BYTE0 + value;
    }

    @Test
    void mergesByScore() {
        Tokenizer t = vocab().tokenizer();
        // ▁ h e l l o -> el -> lo (ll is gone) -> ▁h -> ▁hel -> ▁hello
        assertArrayEquals(new int[] {SPACE_HELLO}, t.encode("hello", false));
        // ▁ h e l l -> el -> ▁h -> ▁hel; "▁hell" is no token
        assertArrayEquals(new int[] {SPACE_HEL, L}, t.encode("hell", false));
    }

    @Test
    void byteFallback() {
        Tokenizer t = vocab().tokenizer();
        assertArrayEquals(new int[] {SPACE_H, b('i')}, t.encode("hi", false));
        assertArrayEquals(new int[] {SPACE, b(0xC3), b(0xA9)}, t.encode("é", false));
        assertArrayEquals(new int[] {SPACE_HELLO, SPACE, b('w'), O, b('r'), L, b('d')}, t.encode("hello world", false));
    }

    @Test
    void spacePrefixStartsTheTextAndFollowsSpecialTokens() {
        Tokenizer t = vocab().tokenizer();
        assertArrayEquals(new int[] {BOS, SPACE_HELLO, EOS, SPACE_HELLO}, t.encode("<s>hello</s>hello", true));
        assertArrayEquals(new int[] {SPACE, b('<'), b('s'), b('>'), H, EL, LO}, t.encode("<s>hello", false));
        assertArrayEquals(new int[0], t.encode("", true));
    }

    @Test
    void decodeUnescapesSpacesAndDropsThePrefixSpace() {
        Tokenizer t = vocab().tokenizer();
        assertEquals("hello world", t.decode(t.encode("hello world", false)));
        assertEquals("é", t.decode(new int[] {SPACE, b(0xC3), b(0xA9)}));
        // as llama.cpp: only the first token loses its leading space, so BOS keeps the word's space
        assertEquals("<s> hello", t.decode(new int[] {BOS, SPACE_HELLO}));
        assertTrue(t.addBos(), "SentencePiece models add BOS by default");
        assertEquals(BOS, t.bos());
        assertArrayEquals(new int[] {EOS}, t.endOfGenerationTokens());
    }

    @Test
    void withoutByteTokensTheUnknownTokenIsUsed() {
        SyntheticVocab v = new SyntheticVocab("llama");
        v.add("<unk>", TokenType.UNKNOWN);
        v.add("<s>", TokenType.CONTROL);
        v.add("</s>", TokenType.CONTROL);
        int space = v.add("▁");
        int x = v.add("x");
        assertArrayEquals(new int[] {space, x, UNK}, v.tokenizer().encode("xy", false));

    }
}
