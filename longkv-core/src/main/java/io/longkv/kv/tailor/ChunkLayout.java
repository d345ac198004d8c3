package io.longkv.kv.tailor;

/**
 * Where things live in one chunk of the cold tier: {@code tokens} prompt tokens of every KV head as f16 rows.
 * Per head: keys {@code [t][d]}, values {@code [t][d]}, the channel-major copy of the keys {@code [d][t]} (the
 * rows the channel-wise scoring reads), then one CRC-32C per key row, value row and channel row. The checksums
 * sit in the file next to the data so checking costs no hot memory; each is mixed with the row's identity so a
 * row copied to the wrong place fails too.
 */
record ChunkLayout(int tokens, int kvHeads, int headDim) {
    static final int KEY = 0;
    static final int VALUE = 1;
    static final int CHANNEL = 2;

    long headBytes() {
        return 6L * tokens * headDim + 4L * (2L * tokens + headDim);
    }

    long bytes() {
        return kvHeads * headBytes();
    }

    /** Bytes of one key or value row. */
    int rowBytes() {
        return 2 * headDim;
    }

    /** Bytes of one channel row. */
    int channelBytes() {
        return 2 * tokens;
    }

    long keyRow(int head, int token) {
        return head * headBytes() + 2L * token * headDim;
    }

    long valueRow(int head, int token) {
        return head * headBytes() + 2L * (tokens + token) * headDim;
    }

    long channelRow(int head, int channel) {
        return head * headBytes() + 4L * tokens * headDim + 2L * channel * tokens;
    }

    /** The offset of the checksum of a row of {@code kind} ({@link #KEY}, {@link #VALUE}, {@link #CHANNEL}). */
    long checksum(int kind, int head, int row) {
        return head * headBytes() + 6L * tokens * headDim + 4L * (kind * tokens + row);
    }

    /** What the checksum of a row is mixed with: its place in the prompt. */
    static int tag(int chunk, int kind, int head, int row) {
        return ((chunk * 31 + kind) * 31 + head) * 65_599 + row;
    }
}
