package io.longkv.model;

import io.longkv.tensor.WeightMatrix;

/** One transformer block's weights; the biases are null for models without them (all but Qwen2). */
public record LayerWeights(
        float[] attentionNorm,
        WeightMatrix wq,
        WeightMatrix wk,
        WeightMatrix wv,
        float[] bq,
        float[] bk,
        float[] bv,
        WeightMatrix wo,
        float[] ffnNorm,
        WeightMatrix ffnGate,
        WeightMatrix ffnUp,
        WeightMatrix ffnDown) {
}
