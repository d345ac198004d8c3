package io.longkv.tokenizer;

import io.longkv.gguf.GgufMetadata;

import java.util.OptionalInt;

/**
 * Text to token ids and back, matching llama.cpp's {@code llama_tokenize(add_special=false)} and
 * {@code llama_detokenize(remove_special=false, unparse_special=true)} for the same GGUF.
 * Implementations are immutable and safe to share between threads.
 */
public interface Tokenizer {

    /**
     * Builds the tokenizer a GGUF declares in {@code tokenizer.ggml.model}: {@code gpt2} (byte-level BPE,
     * pre-tokenizer from {@code tokenizer.ggml.pre}) or {@code llama} (SentencePiece BPE).
     *
     * @throws IllegalArgumentException for another model, an unknown pre-tokenizer or inconsistent metadata
     */
    static Tokenizer fromGguf(GgufMetadata metadata) {
        String model = metadata.getString("tokenizer.ggml.model", null);
        if (model == null) {
            throw new IllegalArgumentException("GGUF has no tokenizer.ggml.model: it carries no tokenizer");
        }
        return switch (model) {
            case "gpt2" -> ByteLevelBpeTokenizer.fromGguf(metadata);
            case "llama" -> SentencePieceTokenizer.fromGguf(metadata);
            default -> throw new IllegalArgumentException("unsupported tokenizer.ggml.model '" + model
                    + "' (supported: gpt2 = byte-level BPE, llama = SentencePiece BPE)");
        };
    }

    /**
     * Token ids of {@code text}. No BOS is added: prepend {@link #bos()} when {@link #addBos()} says so.
     *
     * @param parseSpecial match control tokens such as {@code <|im_start|>} written in the text; when false
     *                     they are tokenized as plain text (user-defined tokens are always matched)
     */
    int[] encode(String text, boolean parseSpecial);

    /** The UTF-8 text of the ids; control tokens are written as their text; invalid UTF-8 becomes U+FFFD. */
    String decode(int[] ids);

    /** The raw bytes one token stands for (possibly part of a UTF-8 sequence). */
    byte[] tokenBytes(int id);

    /** A new decoder for generated tokens that only ever returns whole characters. */
    StreamingDecoder streamingDecoder();

    int vocabSize();

    /** The token text as stored in the vocabulary (byte-level or ▁-escaped form). */
    String tokenText(int id);

    TokenType tokenType(int id);

    /** The id of a control, user-defined or unknown token with exactly this text, e.g. {@code <|im_end|>}. */
    OptionalInt specialToken(String text);

    /** Begin-of-sequence id, or -1 if the model has none. */
    int bos();

    /** End-of-sequence id, or -1 if the model has none. */
    int eos();

    /** End-of-turn id ({@code <|eot_id|>}, {@code <|im_end|>}, ...), or -1. */
    int eot();

    /** Whether prompts should start with {@link #bos()} ({@code tokenizer.ggml.add_bos_token}). */
    boolean addBos();

    /** Every token that ends generation, ascending: eos, eot, eom and tokens named like them. */
    int[] endOfGenerationTokens();

    boolean isEndOfGeneration(int id);
}
