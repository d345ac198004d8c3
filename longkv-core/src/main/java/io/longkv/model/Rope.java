package io.longkv.model;

/**
 * Rotary position embedding: the rotation of a position and its application to the first ropeDim
 * dimensions of each head. Shared by the forward pass and by KV methods that move stored keys to other
 * positions (a rotation by a position delta, as llama.cpp's context shift does).
 */
public final class Rope {
    private final float[] inverseFrequencies;
    private final boolean neox;
    private final int headDim;

    /**
     * @param inverseFrequencies angular frequency per dimension pair (ropeDim / 2 of them)
     * @param type how the pairs are laid out in a head
     */
    public Rope(float[] inverseFrequencies, RopeType type, int headDim) {
        this.inverseFrequencies = inverseFrequencies.clone();
        this.neox = type == RopeType.NEOX;
        this.headDim = headDim;
    }

    /** Fills cos/sin of {@code position * f[i]} (angles in double, so large positions stay exact); negative moves back. */
    public void tables(long position, float[] cos, float[] sin) {
        for (int i = 0; i < inverseFrequencies.length; i++) {
            double angle = position * (double) inverseFrequencies[i];
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
    }

    /** Pairs per head (ropeDim / 2): the length {@link #tables} fills. */
    public int pairs() {
        return inverseFrequencies.length;
    }

    /** Rotates the first ropeDim dimensions of {@code heads} consecutive heads of {@code row} at {@code offset}. */
    public void rotate(float[] row, int offset, int heads, float[] cos, float[] sin) {
        int pairs = inverseFrequencies.length;
        for (int h = 0; h < heads; h++) {
            int base = offset + h * headDim;
            for (int i = 0; i < pairs; i++) {
                int a = neox ? base + i : base + 2 * i;
                int c = neox ? base + i + pairs : a + 1;
                float x0 = row[a];
                float x1 = row[c];
                row[a] = x0 * cos[i] - x1 * sin[i];
                row[c] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }
}
