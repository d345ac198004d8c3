package io.longkv.kv.block;

import io.longkv.kv.attention.TiledKernels;

import java.util.Arrays;
import java.util.List;

/** How a block stores key and value elements. */
public enum KvDtype {
    F32("f32"),
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
        return Arrays.stream(values()).map(KvDtype::spec).toList();
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
            case F32 -> 4L * headDim;
            case F16 -> 2L * headDim;
            case Q8_0 -> headDim + 2L * (headDim / Q8Block.GROUP);
        };
    }

    /** Bytes a block of {@code tokens} slots holds, padding included (f16 tiles, see {@link F16Block}). */
    long blockBytes(int tokens, int kvHeads, int headDim) {
        if (this == F16) {
            return 2L * 2 * kvHeads * headDim * TiledKernels.width(tokens);
        }
        return (long) tokens * kvHeads * tokenHeadBytes(headDim);
    }

    KvBlock newBlock(BlockPool pool, int tokens, int kvHeads, int headDim, long bytes) {
        return switch (this) {
            case F32 -> new F32Block(pool, tokens, kvHeads, headDim, bytes);
            case F16 -> new F16Block(pool, tokens, kvHeads, headDim, bytes);
            case Q8_0 -> new Q8Block(pool, tokens, kvHeads, headDim, bytes);
        };
    }
}
