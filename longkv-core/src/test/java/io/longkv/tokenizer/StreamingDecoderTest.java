package io.longkv.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamingDecoderTest {
    private final Tokenizer tokenizer = ByteLevelBpeTokenizerTest.vocab("gpt-2").tokenizer();

    private static int byteToken(int b) {
        return ByteLevelBpeTokenizerTest.BYTES + (b & 0xFF);
    }

    @Test
    void holdsBackPartialCharacters() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        byte[] emoji = "🙂".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("a", decoder.accept(byteToken('a')));
        assertEquals("", decoder.accept(byteToken(emoji[0])));
        assertEquals("", decoder.accept(byteToken(emoji[1])));
        assertEquals("", decoder.accept(byteToken(emoji[2])));
        assertEquals("🙂", decoder.accept(byteToken(emoji[3])));
        assertEquals("", decoder.flush());
    }

    @Test
    void flushEndsAnIncompleteCharacterLikeDecode() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertEquals("", decoder.accept(byteToken(0xE2)));
        assertEquals("", decoder.accept(byteToken(0x82)));
        assertEquals(tokenizer.decode(new int[] {byteToken(0xE2), byteToken(0x82)}), decoder.flush());
        assertEquals("x", decoder.accept(byteToken('x')), "after flush the decoder starts over");
    }

    @Test
    void controlTokensAreWrittenAsText() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertEquals("<|start|>", decoder.accept(ByteLevelBpeTokenizerTest.START));
    }

    /** Any byte stream, valid UTF-8 or not, streams to exactly what decode gives for the whole. */
    @Test
    void randomBytesStreamLikeFullDecode() {
        Random random = new Random(42);
        byte[] sample = "aé€🙂\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int round = 0; round < 2000; round++) {
            int[] ids = new int[1 + random.nextInt(12)];
            for (int i = 0; i < ids.length; i++) {
                // mostly pieces of real characters, sometimes any byte
                ids[i] = byteToken(random.nextInt(4) == 0 ? random.nextInt(256) : sample[random.nextInt(sample.length)]);
            }
            StreamingDecoder decoder = tokenizer.streamingDecoder();
            StringBuilder streamed = new StringBuilder();
            for (int id : ids) {
                streamed.append(decoder.accept(id));
            }
            streamed.append(decoder.flush());
            assertEquals(tokenizer.decode(ids), streamed.toString(), () -> java.util.Arrays.toString(ids));
        }
    }
}
