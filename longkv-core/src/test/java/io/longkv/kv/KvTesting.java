package io.longkv.kv;

import io.longkv.kv.block.BlockPool;
import io.longkv.kv.block.KvBlock;
import io.longkv.kv.block.KvDtype;
import io.longkv.model.ModelConfig;
import io.longkv.model.RopeType;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.IntPredicate;

/** Shapes, contexts and a plain double-precision attention for KV method tests. */
public final class KvTesting {
    private KvTesting() {
    }

    public static ModelConfig model(int layers, int heads, int kvHeads, int headDim) {
        return new ModelConfig("llama", heads * headDim, layers, heads, kvHeads, headDim, 128, 1 << 16, 300, 1e-5f, 10000f,
                headDim, RopeType.NORM, 1f);
    }

    public static LayerContext context(int layer, ModelConfig model, BlockPool pool) {
        return new LayerContext(layer, model, new float[model.headDim() / 2], pool, Path.of("/tmp"));
    }

    /** A layer cache built from a spec string (every default filled in), for layer {@code layer}. */
    public static LayerKvCache cache(String spec, int layer, ModelConfig model, BlockPool pool) {
        KvSpec parsed = KvSpec.parse(spec);
        parsed.check(model);
        KvSpec.Rule rule = parsed.rule(layer);
        return rule.method().create(context(layer, model, pool), rule.params());
    }

    /** {@code stored} tokens of keys and values (rows of kvHeads * headDim) written into blocks of {@code dtype} from {@code pool}. */
    public static KvBlock[] blocks(BlockPool pool, KvDtype dtype, float[] keys, float[] values, int stored, int kvHeads, int headDim) {
        int blockTokens = pool.blockTokens();
        int kvDim = kvHeads * headDim;
        KvBlock[] blocks = new KvBlock[(stored + blockTokens - 1) / blockTokens];
        for (int t = 0; t < stored; t++) {
            if (t % blockTokens == 0) {
                blocks[t / blockTokens] = pool.allocate(dtype, kvHeads, headDim);
            }
            blocks[t / blockTokens].write(t % blockTokens, keys, t * kvDim, values, t * kvDim);
        }
        return blocks;
    }

    public static float[] gaussian(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /**
     * Softmax attention of query head {@code head} (row {@code row} of q, rows of heads * headDim) over the slots
     * {@code sees} accepts among {@code [0, slots)}; keys and values are rows of kvHeads * headDim.
     */
    public static double[] attend(float[] keys, float[] values, float[] q, int row, int head, int heads, int kvHeads,
                                  int headDim, int slots, IntPredicate sees) {
        int kvDim = kvHeads * headDim;
        int kv = head / (heads / kvHeads) * headDim;
        double[] w = new double[slots];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < slots; t++) {
            if (!sees.test(t)) {
                w[t] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double s = 0;
            for (int i = 0; i < headDim; i++) {
                s += (double) q[(row * heads + head) * headDim + i] * keys[t * kvDim + kv + i];
            }
            w[t] = s / Math.sqrt(headDim);
            max = Math.max(max, w[t]);
        }
        double sum = 0;
        for (int t = 0; t < slots; t++) {
            w[t] = Math.exp(w[t] - max);
            sum += w[t];
        }
        double[] out = new double[headDim];
        for (int t = 0; t < slots; t++) {
            for (int i = 0; i < headDim; i++) {
                out[i] += w[t] / sum * values[t * kvDim + kv + i];
            }
        }
        return out;
    }

    /** Largest |expected - out| over all heads of output row {@code row}, the expectation given per head. */
    public static double worst(java.util.function.IntFunction<double[]> expected, float[] out, int row, int heads, int headDim) {
        double worst = 0;
        for (int h = 0; h < heads; h++) {
            double[] e = expected.apply(h);
            for (int i = 0; i < headDim; i++) {
                worst = Math.max(worst, Math.abs(e[i] - out[(row * heads + h) * headDim + i]));
            }
        }
        return worst;
    }
}
