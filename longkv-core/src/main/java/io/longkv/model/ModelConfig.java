package io.longkv.model;

import io.longkv.gguf.GgufMetadata;
import java.util.Set;

/**
 * Hyperparameters of a Llama-family model, read from GGUF metadata ({@code <arch>.*} keys).
 *
 * @param ropeScalingFactor linear position scaling (positions are divided by it); 1 when none
 */
public record ModelConfig(
        String architecture,
        int embeddingLength,
        int blockCount,
        int headCount,
        int headCountKv,
        int headDim,
        int feedForwardLength,
        int contextLength,
        int vocabSize,
        float rmsNormEps,
        float ropeTheta,
        int ropeDim,
        RopeType ropeType,
        float ropeScalingFactor) {

    /** Architectures whose forward pass is the Llama one (GQA, RMSNorm, SwiGLU, RoPE). */
    public static final Set<String> SUPPORTED = Set.of("llama", "mistral", "qwen2");

    public static ModelConfig from(GgufMetadata m) {
        String arch = m.getString("general.architecture", null);
        if (arch == null) {
            throw new IllegalArgumentException("the GGUF has no general.architecture: not a model file");
        }
        if (!SUPPORTED.contains(arch)) {
            throw new IllegalArgumentException("unsupported architecture '" + arch + "' (supported: "
                    + String.join(", ", SUPPORTED.stream().sorted().toList()) + ")");
        }
        String p = arch + ".";
        int dim = m.getInt(p + "embedding_length");
        int heads = m.getInt(p + "attention.head_count");
        int kvHeads = m.getInt(p + "attention.head_count_kv", heads);
        int headDim = m.getInt(p + "attention.key_length", dim / heads);
        if (m.getInt(p + "attention.value_length", headDim) != headDim) {
            throw new IllegalArgumentException("key and value head sizes differ; not supported");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads are not a multiple of " + kvHeads + " KV heads");
        }
        int vocab = m.contains(p + "vocab_size") ? m.getInt(p + "vocab_size")
                : m.getStringArray("tokenizer.ggml.tokens").length;
        String scaling = m.getString(p + "rope.scaling.type", "none");
        float scalingFactor = m.getFloat(p + "rope.scaling.factor", 1f);
        float linearFactor = switch (scaling) {
            case "none" -> 1f;
            case "linear" -> scalingFactor;
            // llama3 scaling is carried by the rope_freqs.weight tensor, applied per frequency.
            case "llama3" -> 1f;
            default -> throw new IllegalArgumentException("unsupported RoPE scaling type '" + scaling + "'");
        };
        return new ModelConfig(arch, dim, m.getInt(p + "block_count"), heads, kvHeads, headDim,
                m.getInt(p + "feed_forward_length"), m.getInt(p + "context_length"), vocab,
                m.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f),
                m.getFloat(p + "rope.freq_base", 10000f),
                m.getInt(p + "rope.dimension_count", headDim),
                arch.equals("qwen2") ? RopeType.NEOX : RopeType.NORM,
                linearFactor == 0 ? 1f : linearFactor);
    }

    public int queryDim() {
        return headCount * headDim;
    }

    public int kvDim() {
        return headCountKv * headDim;
    }

    /** Query heads per KV head. */
    public int groupSize() {
        return headCount / headCountKv;
    }
}
