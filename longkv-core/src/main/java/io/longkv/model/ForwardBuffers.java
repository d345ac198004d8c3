package io.longkv.model;

/** Scratch arrays for a forward pass over up to {@code chunk} tokens, allocated once per sequence. */
public final class ForwardBuffers {
    /** Logit rows computed per output matrix product. */
    static final int LOGIT_ROWS = 8;

    private final int chunk;
    final float[] x;
    final float[] xb;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] attention;
    final float[] gate;
    final float[] up;
    final float[] logits;
    /** RoPE's cos and sin per row of the chunk (ropeDim / 2 each), filled once per pass for every layer. */
    final float[] cos;
    final float[] sin;
    /** Decode's fused projections: {q, k, v} and {gate, up}. */
    final float[][] qkv;
    final float[][] gateUp;

    public ForwardBuffers(ModelConfig c, int chunk) {
        this.chunk = chunk;
        int dim = c.embeddingLength();
        x = new float[chunk * dim];
        xb = new float[chunk * Math.max(dim, c.queryDim())];
        q = new float[chunk * c.queryDim()];
        k = new float[chunk * c.kvDim()];
        v = new float[chunk * c.kvDim()];
        attention = new float[chunk * c.queryDim()];
        gate = new float[chunk * c.feedForwardLength()];
        up = new float[chunk * c.feedForwardLength()];
        logits = new float[LOGIT_ROWS * c.vocabSize()];
        cos = new float[chunk * (c.ropeDim() / 2)];
        sin = new float[chunk * (c.ropeDim() / 2)];
        qkv = new float[][] {q, k, v};
        gateUp = new float[][] {gate, up};
    }

    /** Most tokens one forward pass takes. */
    public int chunk() {
        return chunk;
    }
}
