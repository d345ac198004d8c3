package io.longkv.testing;

import io.longkv.gguf.GgufValueType;
import io.longkv.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny Llama-family GGUF models with seeded random F32 weights and a byte-level vocabulary (the 256
 * GPT-2 byte symbols plus end tokens), for fast tests of the forward pass and the KV cache methods.
 */
public final class TinyModels {
    /** Shape of a tiny model; {@code architecture} "llama" (NORM RoPE) or "qwen2" (NEOX RoPE, QKV biases). */
    public record Spec(String architecture, int dim, int heads, int kvHeads, int ffn, int layers, int contextLength) {
        public int headDim() {
            return dim / heads;
        }
    }

    public static final Spec LLAMA = new Spec("llama", 64, 4, 2, 96, 2, 512);
    public static final Spec QWEN2 = new Spec("qwen2", 64, 4, 1, 96, 2, 512);

    private TinyModels() {
    }

    public static Path write(Spec spec, Path file, long seed) throws IOException {
        Random random = new Random(seed);
        List<String> tokens = byteLevelTokens();
        tokens.add("<|endoftext|>");
        tokens.add("<|im_start|>");
        tokens.add("<|im_end|>");
        int vocab = tokens.size();
        int[] types = new int[vocab];
        java.util.Arrays.fill(types, 1);
        types[vocab - 3] = 3;
        types[vocab - 2] = 3;
        types[vocab - 1] = 3;
        String p = spec.architecture() + ".";
        int kvDim = spec.kvHeads() * spec.headDim();
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", spec.architecture())
                .putString("general.name", "tiny-" + spec.architecture())
                .putU32(p + "block_count", spec.layers())
                .putU32(p + "context_length", spec.contextLength())
                .putU32(p + "embedding_length", spec.dim())
                .putU32(p + "feed_forward_length", spec.ffn())
                .putU32(p + "attention.head_count", spec.heads())
                .putU32(p + "attention.head_count_kv", spec.kvHeads())
                .putF32(p + "rope.freq_base", 10000f)
                .putF32(p + "attention.layer_norm_rms_epsilon", 1e-5f)
                .putString("tokenizer.ggml.model", "gpt2")
                .putString("tokenizer.ggml.pre", "gpt2")
                .putArray("tokenizer.ggml.tokens", GgufValueType.STRING, tokens)
                .putInts("tokenizer.ggml.token_type", GgufValueType.INT32, types)
                .putStrings("tokenizer.ggml.merges")
                .putU32("tokenizer.ggml.bos_token_id", vocab - 3)
                .putU32("tokenizer.ggml.eos_token_id", vocab - 1)
                .putBool("tokenizer.ggml.add_bos_token", false)
                .putString("tokenizer.chat_template",
                        "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
                                + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
        w.tensorF32("token_embd.weight", new long[] {spec.dim(), vocab}, gaussian(random, vocab * spec.dim(), 1f));
        for (int l = 0; l < spec.layers(); l++) {
            String b = "blk." + l + ".";
            w.tensorF32(b + "attn_norm.weight", new long[] {spec.dim()}, around(random, spec.dim(), 1f, 0.1f));
            matrix(w, random, b + "attn_q.weight", spec.dim(), spec.dim());
            matrix(w, random, b + "attn_k.weight", kvDim, spec.dim());
            matrix(w, random, b + "attn_v.weight", kvDim, spec.dim());
            if (spec.architecture().equals("qwen2")) {
                w.tensorF32(b + "attn_q.bias", new long[] {spec.dim()}, gaussian(random, spec.dim(), 0.1f));
                w.tensorF32(b + "attn_k.bias", new long[] {kvDim}, gaussian(random, kvDim, 0.1f));
                w.tensorF32(b + "attn_v.bias", new long[] {kvDim}, gaussian(random, kvDim, 0.1f));
            }
            matrix(w, random, b + "attn_output.weight", spec.dim(), spec.dim());
            w.tensorF32(b + "ffn_norm.weight", new long[] {spec.dim()}, around(random, spec.dim(), 1f, 0.1f));
            matrix(w, random, b + "ffn_gate.weight", spec.ffn(), spec.dim());
            matrix(w, random, b + "ffn_up.weight", spec.ffn(), spec.dim());
            matrix(w, random, b + "ffn_down.weight", spec.dim(), spec.ffn());
        }
        w.tensorF32("output_norm.weight", new long[] {spec.dim()}, around(random, spec.dim(), 1f, 0.1f));
        return w.write(file);
    }

    /** A rows x cols matrix (GGML dims {cols, rows}) scaled so activations keep unit size. */
    private static void matrix(GgufWriter w, Random random, String name, int rows, int cols) {
        w.tensorF32(name, new long[] {cols, rows}, gaussian(random, rows * cols, (float) (1 / Math.sqrt(cols))));
    }

    private static float[] gaussian(Random random, int n, float scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian() * scale;
        }
        return out;
    }

    private static float[] around(Random random, int n, float center, float spread) {
        float[] out = gaussian(random, n, spread);
        for (int i = 0; i < n; i++) {
            out[i] += center;
        }
        return out;
    }

    /** GPT-2's printable stand-ins for the 256 byte values, in byte order. */
    private static List<String> byteLevelTokens() {
        List<String> out = new ArrayList<>();
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out.add(new String(Character.toChars(printable ? b : 256 + extra++)));
        }
        return out;
    }
}
