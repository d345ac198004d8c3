package io.longkv.kv.attention;

/**
 * The pages of the context each KV head attends in one decode step (sparse attention such as Quest): page i
 * covers slots {@code [i * pageTokens, (i + 1) * pageTokens)}, cut at the stored length. A page may be read by
 * only some query heads of the KV head's group; the others give it no weight.
 */
public interface PageSelection {
    int pageTokens();

    /** Pages selected for {@code kvHead}. */
    int count(int kvHead);

    /** The {@code i}-th selected page of {@code kvHead}. */
    int page(int kvHead, int i);

    /** Bit j set: query head j of {@code kvHead}'s group attends that page (all bits for a shared selection). */
    int rowMask(int kvHead, int i);
}
