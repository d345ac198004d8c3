package io.longkv.tokenizer;

/** The GGUF {@code tokenizer.ggml.token_type} codes, in code order. */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    private static final TokenType[] BY_CODE = values();

    public static TokenType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown token type code " + code);
        }
        return BY_CODE[code];
    }

    /** Matched as a whole in text before BPE (user-defined always, control and unknown only with parseSpecial). */
    public boolean isSpecial() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }
}
