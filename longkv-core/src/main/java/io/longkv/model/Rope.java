package io.longkv.model;

/**
 * Rotary position embedding: the rotation of a position and its application to the first ropeDim
 * dimensions of each head. Shared by the forward pass and by KV methods that move stored keys to other
 * positions (a rotation by a position delta, as llama.cpp's context shift does).
 *
 * <p>The forward pass's instance ({@link #ggml}) computes the angles as ggml's rope does, so keys and
 * queries match llama.cpp's bit for bit: theta starts at the position as a float and is multiplied by
 * powf(base, -2/ropeDim) once per pair, each angle goes through the C library's cosf/sinf, and the
 * rotation is rounded as GCC compiles it (with FMA contraction).
 */
public final class Rope {
    private final float[] inverseFrequencies;
    private final boolean neox;
    private final int headDim;
    /** ggml's angle recurrence, or 0 for angles from {@link #inverseFrequencies} in double. */
    private final float thetaScale;
    private final float[] factors;
    private final float frequencyScale;

    /**
     * @param inverseFrequencies angular frequency per dimension pair (ropeDim / 2 of them)
     * @param type how the pairs are laid out in a head
     */
    public Rope(float[] inverseFrequencies, RopeType type, int headDim) {
        this(inverseFrequencies, type, headDim, 0, null, 1);
    }

    private Rope(float[] inverseFrequencies, RopeType type, int headDim, float thetaScale, float[] factors, float frequencyScale) {
        this.inverseFrequencies = inverseFrequencies.clone();
        this.neox = type == RopeType.NEOX;
        this.headDim = headDim;
        this.thetaScale = thetaScale;
        this.factors = factors == null ? null : factors.clone();
        this.frequencyScale = frequencyScale;
    }

    /**
     * RoPE with ggml's angles for {@code config}; {@code factors} are per-pair frequency divisors (Llama 3's
     * rope_freqs) or null. {@code inverseFrequencies} are the same frequencies for {@link #pairs} and callers.
     */
    static Rope ggml(ModelConfig config, float[] factors, float[] inverseFrequencies) {
        float thetaScale = (float) Math.pow(config.ropeTheta(), -2f / config.ropeDim());
        return new Rope(inverseFrequencies, config.ropeType(), config.headDim(), thetaScale, factors,
                1f / config.ropeScalingFactor());
    }

    /** Fills cos/sin of {@code position}'s angles; negative moves back. */
    public void tables(long position, float[] cos, float[] sin) {
        tables(position, cos, sin, 0);
    }

    /** {@link #tables(long, float[], float[])} into {@code cos[offset ..]} and {@code sin[offset ..]}. */
    public void tables(long position, float[] cos, float[] sin, int offset) {
        if (thetaScale != 0) {
            float theta = position;
            for (int i = 0; i < inverseFrequencies.length; i++) {
                float angle = frequencyScale * (factors == null ? theta : theta / factors[i]);
                cos[offset + i] = CMath.cosf(angle);
                sin[offset + i] = CMath.sinf(angle);
                theta *= thetaScale;
            }
            return;
        }
        for (int i = 0; i < inverseFrequencies.length; i++) {
            double angle = position * (double) inverseFrequencies[i]; // in double, so large positions stay exact
            cos[offset + i] = (float) Math.cos(angle);
            sin[offset + i] = (float) Math.sin(angle);
        }
    }

    /** Pairs per head (ropeDim / 2): the length {@link #tables} fills. */
    public int pairs() {
        return inverseFrequencies.length;
    }

    /** Rotates the first ropeDim dimensions of {@code heads} consecutive heads of {@code row} at {@code offset}. */
    public void rotate(float[] row, int offset, int heads, float[] cos, float[] sin) {
        rotate(row, offset, heads, cos, sin, 0);
    }

    /** {@link #rotate(float[], int, int, float[], float[])} with the tables at {@code tableOffset}. */
    public void rotate(float[] row, int offset, int heads, float[] cos, float[] sin, int tableOffset) {
        int pairs = inverseFrequencies.length;
        for (int h = 0; h < heads; h++) {
            int base = offset + h * headDim;
            for (int i = 0; i < pairs; i++) {
                int a = neox ? base + i : base + 2 * i;
                int c = neox ? base + i + pairs : a + 1;
                float x0 = row[a];
                float x1 = row[c];
                // ggml's x0*cos - x1*sin and x0*sin + x1*cos, as GCC contracts them.
                float cs = cos[tableOffset + i];
                float sn = sin[tableOffset + i];
                row[a] = Math.fma(x0, cs, -(x1 * sn));
                row[c] = Math.fma(x0, sn, x1 * cs);
            }
        }
    }
}
