package io.longkv.gguf;

import java.io.IOException;

/** A GGUF file that cannot be read: names the byte offset where reading failed and why. */
public final class GgufFormatException extends IOException {
    private final long offset;
    private final String reason;

    public GgufFormatException(long offset, String reason) {
        super("malformed GGUF at byte " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
