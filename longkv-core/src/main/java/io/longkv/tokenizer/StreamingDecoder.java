package io.longkv.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * Turns generated tokens into text one token at a time. A token may end in the middle of a UTF-8
 * character (byte tokens, split emoji): those bytes are held back until the character is complete,
 * so every returned string is whole text and the concatenation equals {@link Tokenizer#decode}.
 * Not thread-safe: one per generation stream.
 */
public final class StreamingDecoder {
    private final IntFunction<byte[]> pieces;
    private final boolean stripLeadingSpace;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(64);
    private boolean first = true;

    /** @param stripLeadingSpace drop the space {@code add_space_prefix} put before the first token */
    StreamingDecoder(IntFunction<byte[]> pieces, boolean stripLeadingSpace) {
        this.pieces = pieces;
        this.stripLeadingSpace = stripLeadingSpace;
    }

    /** The text completed by this token; empty while a character is still incomplete. */
    public String accept(int token) {
        byte[] piece = pieces.apply(token);
        int skip = first && stripLeadingSpace && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
        first = false;
        if (pending.remaining() < piece.length - skip) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + piece.length));
            pending.flip();
            pending = bigger.put(pending);
        }
        pending.put(piece, skip, piece.length - skip);
        return drain(false);
    }

    /** The text still held back, with an incomplete final character as U+FFFD; the decoder can then start over. */
    public String flush() {
        String rest = drain(true);
        utf8.reset();
        first = true;
        return rest;
    }

    private String drain(boolean endOfInput) {
        pending.flip();
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 4);
        CoderResult result = utf8.decode(pending, out, endOfInput);
        if (endOfInput && result.isUnderflow()) {
            utf8.flush(out);
        }
        pending.compact();
        return out.flip().toString();
    }
}
