package io.longkv.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml's vectorized expf (ggml_v_expf, AVX2 + FMA form; an ARM optimized-routines algorithm, at most
 * 1.45 ulp from e^x) and the SiLU built on it, step for step, so softmax and SwiGLU round as llama.cpp's
 * do. Every lane is computed independently, so any vector width gives the same values.
 */
public final class GgmlExp {
    private GgmlExp() {
    }

    /** e^x per lane, as ggml_v_expf. */
    public static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> f = x.species();
        FloatVector r = FloatVector.broadcast(f, 0x1.8p23f);
        FloatVector z = x.fma(FloatVector.broadcast(f, 0x1.715476p+0f), r);
        FloatVector n = z.sub(r);
        FloatVector b = n.neg().fma(FloatVector.broadcast(f, 0x1.7f7d1cp-20f), n.neg().fma(FloatVector.broadcast(f, 0x1.62e4p-1f), x));
        IntVector e = ((IntVector) z.reinterpretAsInts()).lanewise(VectorOperators.LSHL, 23);
        FloatVector k = e.add(0x3f80_0000).reinterpretAsFloats();
        FloatVector u = b.mul(b);
        FloatVector j = b.fma(FloatVector.broadcast(f, 0x1.0e4020p-7f), FloatVector.broadcast(f, 0x1.573e2ep-5f))
                .fma(u, b.fma(FloatVector.broadcast(f, 0x1.555e66p-3f), FloatVector.broadcast(f, 0x1.fffdb6p-2f)))
                .fma(u, b.mul(0x1.ffffecp-1f));
        FloatVector normal = j.fma(k, k);
        VectorMask<Float> c = n.abs().compare(VectorOperators.GT, 126f);
        if (!c.anyTrue()) {
            return normal;
        }
        // |n| > 126: scale in two steps so 2^n neither overflows nor flushes early; |n| > 192: s1 * s1.
        IntVector g = IntVector.zero(e.species()).blend(0x8200_0000, n.compare(VectorOperators.LE, 0f).cast(e.species()));
        FloatVector s1 = g.add(0x7f00_0000).reinterpretAsFloats();
        FloatVector s2 = e.sub(g).reinterpretAsFloats();
        FloatVector scaled = s2.fma(j, s2).mul(s1);
        VectorMask<Float> d = n.abs().compare(VectorOperators.GT, 192f);
        return normal.blend(scaled, c).blend(s1.mul(s1), d);
    }

    /** x / (1 + e^-x) per lane, as ggml_v_silu. */
    public static FloatVector silu(FloatVector x) {
        FloatVector negX = FloatVector.zero(x.species()).sub(x);
        return x.div(exp(negX).add(1f));
    }
}
