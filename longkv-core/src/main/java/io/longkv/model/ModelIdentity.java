package io.longkv.model;

import io.longkv.gguf.GgufFile;
import io.longkv.gguf.GgufTensorInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model's fingerprint for saved sessions: SHA-256 over the file size and, for every tensor, its name,
 * type, shape, offset and first 64 bytes of data. Cheap (no full read of the weights) yet different for
 * another architecture, quantization, layout or set of weights.
 */
public final class ModelIdentity {
    private static final int SAMPLE_BYTES = 64;

    private ModelIdentity() {
    }

    public static byte[] of(GgufFile gguf) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        update(sha, gguf.fileSize());
        for (GgufTensorInfo t : gguf.tensorList()) {
            sha.update(t.name().getBytes(StandardCharsets.UTF_8));
            sha.update(t.type().name().getBytes(StandardCharsets.UTF_8));
            for (long d : t.dims()) {
                update(sha, d);
            }
            update(sha, t.offset());
            MemorySegment data = gguf.data(t);
            sha.update(data.asSlice(0, Math.min(SAMPLE_BYTES, data.byteSize())).toArray(ValueLayout.JAVA_BYTE));
        }
        return sha.digest();
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private static void update(MessageDigest sha, long value) {
        for (int i = 0; i < 8; i++) {
            sha.update((byte) (value >>> (8 * i)));
        }
    }
}
