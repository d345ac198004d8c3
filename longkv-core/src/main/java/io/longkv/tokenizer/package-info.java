/**
 * Tokenizers and chat templates read from GGUF metadata, matching llama.cpp token for token.
 *
 * <ul>
 *   <li>{@link io.longkv.tokenizer.Tokenizer#fromGguf} picks byte-level BPE ({@code gpt2}) or SentencePiece BPE
 *       ({@code llama}); other {@code tokenizer.ggml.model} values are rejected.</li>
 *   <li>The BPE pre-tokenizer follows {@code tokenizer.ggml.pre}. An unknown name is an error, as in llama.cpp,
 *       because a wrong split silently changes the tokens; a GGUF without the key gets {@code default}
 *       with a warning, as llama.cpp does for files converted before the key existed.</li>
 *   <li>The GPT-2 and Llama 3 / Qwen2 patterns are hand-written scanners, like llama.cpp's, for speed and
 *       to avoid regex backtracking. Character classes come from {@link java.lang.Character} (Unicode 16.0);
 *       llama.cpp's tables are Unicode 15.1, so the 4,382 letters and digits added in 16.0 (Garay, Todhri,
 *       Egyptian hieroglyphs extension A, ...) can split differently there.</li>
 *   <li>Decoding concatenates token bytes as llama.cpp's {@code llama_detokenize(remove_special=false,
 *       unparse_special=true)}: control tokens appear as text and no "clean up spaces" pass is made.</li>
 * </ul>
 */
package io.longkv.tokenizer;
