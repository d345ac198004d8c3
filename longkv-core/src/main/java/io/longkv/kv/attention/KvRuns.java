package io.longkv.kv.attention;

/**
 * One layer's keys and values as {@link PagedAttention} walks them: in runs of consecutive token slots that
 * a kernel scores and accumulates at once. Paged storage is one implementation ({@link BlockRuns}); methods
 * with their own layouts (quantized codes, a full-precision tail) implement it to get the shared online
 * softmax, tiling and decode splits. Slots are absolute positions.
 */
public interface KvRuns {
    /** The longest run; decode splits start at multiples of it, so a run never straddles two tasks. */
    int maxRun();

    /** The end (exclusive) of the run starting at slot {@code from}: above {@code from}, at most {@code limit} and {@code from + maxRun()}. */
    int runEnd(int from, int limit);

    /**
     * {@code scores[r * stride + t - from] = q_r . k_t} of KV head {@code kvHead} for slots t in {@code [from, to)}
     * (one run) and the {@code rows} query rows stored contiguously in {@code q}. {@code scratch} holds at
     * least {@code maxRun() * headDim} floats.
     */
    void scores(int kvHead, int from, int to, float[] q, int rows, float[] scores, int stride, float[] scratch);

    /** {@code acc[r * headDim + i] += sum_t p[r * stride + t - from] * v_t[i]} for slots t in {@code [from, to)} (one run). */
    void accumulate(int kvHead, int from, int to, float[] p, int stride, int rows, float[] acc, float[] scratch);
}
