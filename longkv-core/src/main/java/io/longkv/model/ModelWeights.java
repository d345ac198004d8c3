package io.longkv.model;

import io.longkv.gguf.GgufFile;
import io.longkv.gguf.GgufTensorInfo;
import io.longkv.tensor.WeightMatrix;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The weights of a Llama-family model, memory-mapped from its GGUF. Matrices stay in the file's
 * encoding; only the small 1-D tensors (norms, biases, RoPE factors) are read into float arrays.
 *
 * @param ropeFrequencyFactors per-frequency divisors (llama3 RoPE scaling), or null
 */
public record ModelWeights(
        WeightMatrix tokenEmbedding,
        LayerWeights[] layers,
        float[] outputNorm,
        WeightMatrix output,
        float[] ropeFrequencyFactors) {

    public static ModelWeights load(GgufFile gguf, ModelConfig config) {
        WeightMatrix embedding = matrix(gguf, "token_embd.weight", config.vocabSize(), config.embeddingLength());
        LayerWeights[] layers = new LayerWeights[config.blockCount()];
        int dim = config.embeddingLength();
        for (int i = 0; i < layers.length; i++) {
            String b = "blk." + i + ".";
            layers[i] = new LayerWeights(
                    vector(gguf, b + "attn_norm.weight", dim),
                    matrix(gguf, b + "attn_q.weight", config.queryDim(), dim),
                    matrix(gguf, b + "attn_k.weight", config.kvDim(), dim),
                    matrix(gguf, b + "attn_v.weight", config.kvDim(), dim),
                    optionalVector(gguf, b + "attn_q.bias", config.queryDim()),
                    optionalVector(gguf, b + "attn_k.bias", config.kvDim()),
                    optionalVector(gguf, b + "attn_v.bias", config.kvDim()),
                    matrix(gguf, b + "attn_output.weight", dim, config.queryDim()),
                    vector(gguf, b + "ffn_norm.weight", dim),
                    matrix(gguf, b + "ffn_gate.weight", config.feedForwardLength(), dim),
                    matrix(gguf, b + "ffn_up.weight", config.feedForwardLength(), dim),
                    matrix(gguf, b + "ffn_down.weight", dim, config.feedForwardLength()));
        }
        // Tied embeddings: models without output.weight project with the token embedding.
        WeightMatrix output = gguf.hasTensor("output.weight")
                ? matrix(gguf, "output.weight", config.vocabSize(), dim) : embedding;
        return new ModelWeights(embedding, layers, vector(gguf, "output_norm.weight", dim), output,
                optionalVector(gguf, "rope_freqs.weight", config.ropeDim() / 2));
    }

    private static WeightMatrix matrix(GgufFile gguf, String name, int rows, int cols) {
        GgufTensorInfo t = gguf.tensor(name);
        if (t.elementCount() != (long) rows * cols || t.dim(0) != cols) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(t.dims())
                    + ", expected [" + cols + ", " + rows + "]");
        }
        return WeightMatrix.of(t.type(), gguf.data(t), rows, cols);
    }

    private static float[] vector(GgufFile gguf, String name, int length) {
        GgufTensorInfo t = gguf.tensor(name);
        if (t.elementCount() != length) {
            throw new IllegalArgumentException("tensor " + name + " has " + t.elementCount() + " elements, expected " + length);
        }
        MemorySegment data = gguf.data(t);
        float[] out = new float[length];
        WeightMatrix.of(t.type(), data, 1, length).dequantizeRow(0, out, 0);
        return out;
    }

    private static float[] optionalVector(GgufFile gguf, String name, int length) {
        return gguf.hasTensor(name) ? vector(gguf, name, length) : null;
    }
}
