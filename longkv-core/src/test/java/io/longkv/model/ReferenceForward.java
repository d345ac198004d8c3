package io.longkv.model;

import io.longkv.gguf.GgufFile;
import java.lang.foreign.ValueLayout;

/**
 * A deliberately plain, scalar, double-precision Llama forward pass over a tiny F32 GGUF, written
 * from the architecture's definition and sharing no code with {@link Transformer}: the oracle for it.
 */
final class ReferenceForward {
    private final GgufFile gguf;
    private final ModelConfig c;

    ReferenceForward(GgufFile gguf) {
        this.gguf = gguf;
        this.c = ModelConfig.from(gguf.metadata());
    }

    /** Logits after each token of {@code tokens}, run from an empty cache. */
    double[][] logits(int[] tokens) {
        int n = tokens.length;
        int dim = c.embeddingLength();
        int hd = c.headDim();
        double[][][] keys = new double[c.blockCount()][n][];
        double[][][] values = new double[c.blockCount()][n][];
        double[][] out = new double[n][];
        for (int pos = 0; pos < n; pos++) {
            double[] x = row("token_embd.weight", tokens[pos], dim);
            for (int l = 0; l < c.blockCount(); l++) {
                String b = "blk." + l + ".";
                double[] h = norm(x, vec(b + "attn_norm.weight"));
                double[] q = addBias(matVec(b + "attn_q.weight", h), b + "attn_q.bias");
                double[] k = addBias(matVec(b + "attn_k.weight", h), b + "attn_k.bias");
                double[] v = addBias(matVec(b + "attn_v.weight", h), b + "attn_v.bias");
                rope(q, c.headCount(), pos);
                rope(k, c.headCountKv(), pos);
                keys[l][pos] = k;
                values[l][pos] = v;
                double[] att = new double[c.queryDim()];
                for (int head = 0; head < c.headCount(); head++) {
                    int kvHead = head / c.groupSize();
                    double[] w = new double[pos + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t <= pos; t++) {
                        double s = 0;
                        for (int i = 0; i < hd; i++) {
                            s += q[head * hd + i] * keys[l][t][kvHead * hd + i];
                        }
                        w[t] = s / Math.sqrt(hd);
                        max = Math.max(max, w[t]);
                    }
                    double sum = 0;
                    for (int t = 0; t <= pos; t++) {
                        w[t] = Math.exp(w[t] - max);
                        sum += w[t];
                    }
                    for (int t = 0; t <= pos; t++) {
                        for (int i = 0; i < hd; i++) {
                            att[head * hd + i] += w[t] / sum * values[l][t][kvHead * hd + i];
                        }
                    }
                }
                add(x, matVec(b + "attn_output.weight", att));
                double[] f = norm(x, vec(b + "ffn_norm.weight"));
                double[] gate = matVec(b + "ffn_gate.weight", f);
                double[] up = matVec(b + "ffn_up.weight", f);
                for (int i = 0; i < gate.length; i++) {
                    gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                }
                add(x, matVec(b + "ffn_down.weight", gate));
            }
            double[] h = norm(x, vec("output_norm.weight"));
            out[pos] = matVec(gguf.hasTensor("output.weight") ? "output.weight" : "token_embd.weight", h);
        }
        return out;
    }

    private void rope(double[] v, int heads, int pos) {
        int hd = c.headDim();
        int half = c.ropeDim() / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * Math.pow(c.ropeTheta(), -2.0 * i / c.ropeDim());
                int a = c.ropeType() == RopeType.NEOX ? h * hd + i : h * hd + 2 * i;
                int b = c.ropeType() == RopeType.NEOX ? a + half : a + 1;
                double x0 = v[a];
                double x1 = v[b];
                v[a] = x0 * Math.cos(angle) - x1 * Math.sin(angle);
                v[b] = x0 * Math.sin(angle) + x1 * Math.cos(angle);
            }
        }
    }

    private double[] norm(double[] x, double[] weight) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double scale = 1 / Math.sqrt(ss / x.length + c.rmsNormEps());
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * scale * weight[i];
        }
        return out;
    }

    private double[] matVec(String name, double[] x) {
        int rows = (int) gguf.tensor(name).dim(1);
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double[] w = row(name, r, x.length);
            for (int i = 0; i < x.length; i++) {
                out[r] += w[i] * x[i];
            }
        }
        return out;
    }

    private double[] addBias(double[] v, String name) {
        if (gguf.hasTensor(name)) {
            add(v, vec(name));
        }
        return v;
    }

    private static void add(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }

    private double[] vec(String name) {
        return row(name, 0, (int) gguf.tensor(name).dim(0));
    }

    private double[] row(String name, int r, int cols) {
        var data = gguf.data(name);
        double[] out = new double[cols];
        for (int i = 0; i < cols; i++) {
            out[i] = data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) r * cols + i);
        }
        return out;
    }
}
