package io.longkv.kv.block;

import io.longkv.kv.attention.TiledKernels;

import java.util.Arrays;
import java.util.List;

/** How a block stores key and value elements. */
public enum KvDtype {
    /** float32 in tiles, for the online kernels. */
    F32("f32"),
    /**
     * float32 in rows: the same elements and files as {@link #F32}, for readers of rows: llama.cpp's exact
     * order ({@code full:dtype=f32,flash=off}) and Quest's page bounds. Not a spec of its own.
     */
    F32_ROWS("f32"),
    F16("f16"),
    /** llama.cpp's Q8_0: blocks of 32 elements along head_dim, int8 codes and one f16 scale (34 bytes per 32). */
    Q8_0("q8_0");

    private final String spec;

    KvDtype(String spec) {
        this.spec = spec;
    }

    /** The name used in specs. */
    public String spec() {
        return spec;
    }

    public static List<String> specs() {
        return Arrays.stream(values()).map(KvDtype::spec).distinct().toList();
    }

    public static KvDtype fromSpec(String spec) {
        for (KvDtype d : values()) {
            if (d.spec.equals(spec)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown KV dtype '" + spec + "' (known: " + String.join(", ", specs()) + ")");
    }

    /** Bytes of keys plus values for one token of one KV head. */
    public long tokenHeadBytes(int headDim) {
        return 2 * switch (this) {
            case F32, F32_ROWS -> 4L * headDim;
            case F16 -> 2L * headDim;
            case Q8_0 -> headDim + 2L * (headDim / Q8Block.GROUP);
        };
    }

    /** Bytes a block of {@code tokens} slots holds, padding included (f32 and f16 tiles, see {@link Tiles}). */
    long blockBytes(int tokens, int kvHeads, int headDim) {
        boolean tiled = this == F32 || this == F16;
        return (long) (tiled ? TiledKernels.width(tokens) : tokens) * kvHeads * tokenHeadBytes(headDim);
    }

    KvBlock newBlock(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        return switch (this) {
            case F32 -> new F32Block(pool, tokens, kvHeads, headDim, bytes);
            case F32_ROWS -> new F32RowBlock(pool, tokens, kvHeads, headDim, bytes);
            case F16 -> new F16Block(pool, tokens, kvHeads, headDim, bytes);
            case Q8_0 -> new Q8Block(pool, tokens, kvHeads, headDim, bytes);
        };
    }
}
