package io.longkv.model;

import io.longkv.kv.KvCache;
import io.longkv.kv.LayerKvCache;
import io.longkv.tensor.VectorMath;
import io.longkv.tensor.WeightMatrix;

/**
 * The Llama-family forward pass: embedding, then per layer RMSNorm, Q/K/V projections (+ bias),
 * RoPE, attention through the layer's KV cache, output projection and residual, RMSNorm, SwiGLU
 * FFN and residual; then the final norm and the output projection for the rows whose logits are wanted.
 * One token uses matrix-vector products; a chunk uses matrix-matrix products.
 */
public final class Transformer {
    /** Receives the logits of one input row; the array is reused after the call returns. */
    @FunctionalInterface
    public interface LogitsSink {
        void accept(int row, float[] logits, int offset);
    }

    private final ModelConfig config;
    private final ModelWeights weights;
    private final float[] inverseFrequencies;
    private final Rope rope;
    /** Per layer, the matrices decode multiplies in one pass: {wq, wk, wv} and {gate, up}. */
    private final WeightMatrix[][] attentionInputs;
    private final WeightMatrix[][] ffnInputs;

    public Transformer(ModelConfig config, ModelWeights weights) {
        this.config = config;
        this.weights = weights;
        int pairs = config.ropeDim() / 2;
        inverseFrequencies = new float[pairs];
        float[] factors = weights.ropeFrequencyFactors();
        for (int i = 0; i < pairs; i++) {
            double frequency = Math.pow(config.ropeTheta(), -2.0 * i / config.ropeDim());
            inverseFrequencies[i] = (float) (frequency / (factors == null ? 1 : factors[i]) / config.ropeScalingFactor());
        }
        rope = new Rope(inverseFrequencies, config.ropeType(), config.headDim());
        LayerWeights[] layers = weights.layers();
        attentionInputs = new WeightMatrix[layers.length][];
        ffnInputs = new WeightMatrix[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            attentionInputs[l] = new WeightMatrix[] {layers[l].wq(), layers[l].wk(), layers[l].wv()};
            ffnInputs[l] = new WeightMatrix[] {layers[l].ffnGate(), layers[l].ffnUp()};
        }
    }

    public ModelConfig config() {
        return config;
    }

    public ModelWeights weights() {
        return weights;
    }

    /** RoPE's angular frequency per dimension pair (scaling and frequency factors applied): a copy. */
    public float[] ropeInverseFrequencies() {
        return inverseFrequencies.clone();
    }

    /**
     * Runs {@code count} tokens from {@code tokens[offset..]} at positions {@code position ..}, appending
     * their keys and values to {@code cache}. Rows from {@code firstLogitRow} on get logits passed to
     * {@code sink}; pass {@code count} (or a null sink) to skip the output projection entirely.
     */
    public void forward(ForwardBuffers b, KvCache cache, int[] tokens, int offset, int count, int position,
                        int firstLogitRow, LogitsSink sink) {
        if (count > b.chunk()) {
            throw new IllegalArgumentException(count + " tokens exceed the chunk size " + b.chunk());
        }
        int dim = config.embeddingLength();
        for (int r = 0; r < count; r++) {
            int token = tokens[offset + r];
            if (token < 0 || token >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + token + " outside the vocabulary (" + config.vocabSize() + ")");
            }
            weights.tokenEmbedding().dequantizeRow(token, b.x, r * dim);
        }
        for (int l = 0; l < weights.layers().length; l++) {
            layer(l, cache, cache.layer(l), b, count, position);
        }
        if (sink != null && firstLogitRow < count) {
            logits(b, count, firstLogitRow, sink);
        }
    }

    private void layer(int l, KvCache cache, LayerKvCache layerCache, ForwardBuffers b, int count, int position) {
        LayerWeights w = weights.layers()[l];
        int dim = config.embeddingLength();
        int qDim = config.queryDim();
        int kvDim = config.kvDim();
        rmsNorm(b.x, b.xb, w.attentionNorm(), count, dim);
        if (count == 1) {
            WeightMatrix.matVecs(b.xb, attentionInputs[l], b.qkv);
        } else {
            project(w.wq(), b.xb, count, b.q);
            project(w.wk(), b.xb, count, b.k);
            project(w.wv(), b.xb, count, b.v);
        }
        addBias(b.q, w.bq(), count);
        addBias(b.k, w.bk(), count);
        addBias(b.v, w.bv(), count);
        for (int r = 0; r < count; r++) {
            rope.tables(position + r, b.cos, b.sin);
            rope.rotate(b.q, r * qDim, config.headCount(), b.cos, b.sin);
            rope.rotate(b.k, r * kvDim, config.headCountKv(), b.cos, b.sin);
        }
        layerCache.append(position, b.k, b.v, count);
        long start = System.nanoTime();
        layerCache.attend(position, b.q, count, b.attention);
        cache.recordAttention(System.nanoTime() - start);
        project(w.wo(), b.attention, count, b.xb);
        VectorMath.add(b.xb, b.x, count * dim);

        rmsNorm(b.x, b.xb, w.ffnNorm(), count, dim);
        if (count == 1) {
            WeightMatrix.matVecs(b.xb, ffnInputs[l], b.gateUp);
        } else {
            project(w.ffnGate(), b.xb, count, b.gate);
            project(w.ffnUp(), b.xb, count, b.up);
        }
        VectorMath.swiglu(b.gate, b.up, count * config.feedForwardLength());
        project(w.ffnDown(), b.gate, count, b.xb);
        VectorMath.add(b.xb, b.x, count * dim);
    }

    private void logits(ForwardBuffers b, int count, int firstRow, LogitsSink sink) {
        int dim = config.embeddingLength();
        int vocab = config.vocabSize();
        for (int start = firstRow; start < count; start += ForwardBuffers.LOGIT_ROWS) {
            int rows = Math.min(ForwardBuffers.LOGIT_ROWS, count - start);
            for (int r = 0; r < rows; r++) {
                VectorMath.rmsnorm(b.xb, r * dim, b.x, (start + r) * dim, weights.outputNorm(), dim, config.rmsNormEps());
            }
            if (rows == 1) {
                weights.output().matVecFloat(b.xb, b.logits, 0);
            } else {
                weights.output().matMul(b.xb, rows, b.logits);
            }
            for (int r = 0; r < rows; r++) {
                sink.accept(start + r, b.logits, r * vocab);
            }
        }
    }

    private void rmsNorm(float[] in, float[] out, float[] weight, int count, int dim) {
        for (int r = 0; r < count; r++) {
            VectorMath.rmsnorm(out, r * dim, in, r * dim, weight, dim, config.rmsNormEps());
        }
    }

    private static void project(WeightMatrix w, float[] in, int count, float[] out) {
        if (count == 1) {
            w.matVec(in, out, 0);
        } else {
            w.matMul(in, count, out);
        }
    }

    private static void addBias(float[] rows, float[] bias, int count) {
        if (bias == null) {
            return;
        }
        for (int r = 0; r < count; r++) {
            VectorMath.axpy(1f, bias, 0, rows, r * bias.length, bias.length);
        }
    }
}
