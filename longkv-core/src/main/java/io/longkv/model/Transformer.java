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

    /** Receives intermediate tensors of each forward pass (debugging against llama.cpp's graph). */
    @FunctionalInterface
    public interface Tap {
        /** {@code rows} rows of {@code width} values at the start of {@code data}; valid during the call only. */
        void tensor(String name, float[] data, int rows, int width);
    }

    private final ModelConfig config;
    private final ModelWeights weights;
    private volatile Tap tap;
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
        rope = Rope.ggml(config, factors, inverseFrequencies);
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

    /** Sets (or with null clears) the receiver of intermediate tensors; for debugging, it slows the pass. */
    public void setTap(Tap tap) {
        this.tap = tap;
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
        for (int r = 0; r < count; r++) {
            rope.tables(position + r, b.cos, b.sin, r * rope.pairs()); // once for every layer: each angle is a C library call
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
        tap("attn_norm-{}", l, b.xb, count, dim);
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
        tap("Qcur-{}", l, b.q, count, qDim);
        tap("Kcur-{}", l, b.k, count, kvDim);
        tap("Vcur-{}", l, b.v, count, kvDim);
        for (int r = 0; r < count; r++) {
            rope.rotate(b.q, r * qDim, config.headCount(), b.cos, b.sin, r * rope.pairs());
            rope.rotate(b.k, r * kvDim, config.headCountKv(), b.cos, b.sin, r * rope.pairs());
        }
        tap("Qcur-{}#2", l, b.q, count, qDim);
        tap("Kcur-{}#2", l, b.k, count, kvDim);
        layerCache.append(position, b.k, b.v, count);
        long start = System.nanoTime();
        layerCache.attend(position, b.q, count, b.attention);
        cache.recordAttention(System.nanoTime() - start);
        tap("kqv_out-{}", l, b.attention, count, qDim);
        project(w.wo(), b.attention, count, b.xb);
        tap("attn_out-{}", l, b.xb, count, dim);
        VectorMath.add(b.xb, b.x, count * dim);
        tap("ffn_inp-{}", l, b.x, count, dim);

        rmsNorm(b.x, b.xb, w.ffnNorm(), count, dim);
        tap("ffn_norm-{}", l, b.xb, count, dim);
        if (count == 1) {
            WeightMatrix.matVecs(b.xb, ffnInputs[l], b.gateUp);
        } else {
            project(w.ffnGate(), b.xb, count, b.gate);
            project(w.ffnUp(), b.xb, count, b.up);
        }
        tap("ffn_gate-{}", l, b.gate, count, config.feedForwardLength());
        tap("ffn_up-{}", l, b.up, count, config.feedForwardLength());
        VectorMath.swiglu(b.gate, b.up, count * config.feedForwardLength());
        tap("ffn_swiglu-{}", l, b.gate, count, config.feedForwardLength());
        project(w.ffnDown(), b.gate, count, b.xb);
        tap("ffn_out-{}", l, b.xb, count, dim);
        VectorMath.add(b.xb, b.x, count * dim);
        tap("l_out-{}", l, b.x, count, dim);
    }

    /**
     * Hands an intermediate tensor to the tap, if one is set, named as llama.cpp's graph names it ("{}" is
     * the layer); the name is built only then, so the pass allocates nothing without a tap.
     */
    private void tap(String name, int layer, float[] data, int rows, int width) {
        Tap t = tap;
        if (t != null) {
            t.tensor(name.replace("{}", Integer.toString(layer)), data, rows, width);
        }
    }

    private void logits(ForwardBuffers b, int count, int firstRow, LogitsSink sink) {
        int dim = config.embeddingLength();
        int vocab = config.vocabSize();
        for (int start = firstRow; start < count; start += ForwardBuffers.LOGIT_ROWS) {
            int rows = Math.min(ForwardBuffers.LOGIT_ROWS, count - start);
            for (int r = 0; r < rows; r++) {
                VectorMath.rmsnorm(b.xb, r * dim, b.x, (start + r) * dim, weights.outputNorm(), dim, config.rmsNormEps());
            }
            tap("result_norm", -1, b.xb, rows, dim);
            weights.output().matMul(b.xb, rows, b.logits);
            tap("result_output", -1, b.logits, rows, vocab);
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
