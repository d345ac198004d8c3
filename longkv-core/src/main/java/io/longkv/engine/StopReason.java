package io.longkv.engine;

/** Why generation ended. */
public enum StopReason {
    /** The model produced an end-of-generation token. */
    END_TOKEN,
    /** A user stop string appeared in the output. */
    STOP_STRING,
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** The context is full. */
    CONTEXT_FULL
}
