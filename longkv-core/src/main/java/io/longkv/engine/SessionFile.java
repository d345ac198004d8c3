package io.longkv.engine;

import io.longkv.kv.KvCache;
import io.longkv.kv.KvSpec;
import io.longkv.kv.KvSpecException;
import io.longkv.model.ModelIdentity;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A session's cache on disk. Layout (big-endian): magic {@code LKVS}, format version, model name and
 * {@link ModelIdentity} digest, KV spec (canonical string), tokens per block, token count and ids, the
 * last logits, each layer's payload as its method writes it, then a CRC32C of everything before it.
 * Written to a temporary file and renamed over the target, so a crash never leaves half a file.
 * Loading checks the checksum over the whole file first, then the header against the session, then
 * builds a new cache; the session changes only once all of that succeeded.
 */
final class SessionFile {
    private static final int MAGIC = 0x4C4B5653; // "LKVS"
    private static final int VERSION = 1;

    /** What a valid file holds, loaded into a new cache owned by the caller. */
    record Loaded(int[] tokens, float[] logits, KvCache cache) {
    }

    private SessionFile() {
    }

    static void save(Session session, Path file) throws IOException {
        Engine engine = session.engine();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            CRC32C crc = new CRC32C();
            try (OutputStream raw = Files.newOutputStream(temp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(engine.model().name());
                out.write(engine.modelIdentity());
                out.writeUTF(session.cache().spec().toString());
                out.writeInt(engine.blocks().blockTokens());
                int[] tokens = session.tokens();
                out.writeInt(tokens.length);
                for (int t : tokens) {
                    out.writeInt(t);
                }
                float[] logits = session.logits();
                out.writeInt(logits.length);
                for (float f : logits) {
                    out.writeFloat(f);
                }
                session.cache().save(out);
                out.flush();
                new DataOutputStream(raw).writeInt((int) crc.getValue());
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static Loaded load(Session session, Path file) throws IOException {
        Engine engine = session.engine();
        long size = Files.size(file);
        if (size < 12) {
            throw new IOException(file + " is not a saved LongKV session (" + size + " bytes)");
        }
        checkCrc(file, size);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a saved LongKV session (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has session format version " + version + "; this build reads version " + VERSION);
            }
            String modelName = in.readUTF();
            byte[] identity = new byte[32];
            in.readFully(identity);
            if (!Arrays.equals(identity, engine.modelIdentity())) {
                throw new IOException(file + " was saved with model '" + modelName + "' (" + ModelIdentity.hex(identity)
                        + "), not the loaded '" + engine.model().name() + "' (" + ModelIdentity.hex(engine.modelIdentity()) + ")");
            }
            String spec = canonical(in.readUTF());
            if (!spec.equals(engine.spec().toString())) {
                throw new IOException(file + " holds a '" + spec + "' cache but the session uses '" + engine.spec() + "'; pass --kv " + spec);
            }
            int blockTokens = in.readInt();
            if (blockTokens != engine.blocks().blockTokens()) {
                throw new IOException(file + " uses blocks of " + blockTokens + " tokens, the engine " + engine.blocks().blockTokens());
            }
            int count = in.readInt();
            if (count < 0 || count > session.contextLength()) {
                throw new IOException(file + " holds " + count + " tokens but the session's context is " + session.contextLength());
            }
            int[] tokens = new int[count];
            for (int i = 0; i < count; i++) {
                tokens[i] = in.readInt();
            }
            int vocab = in.readInt();
            if (vocab != session.logits().length) {
                throw new IOException(file + " holds logits over " + vocab + " tokens, the model has " + session.logits().length);
            }
            float[] logits = new float[vocab];
            for (int i = 0; i < vocab; i++) {
                logits[i] = in.readFloat();
            }
            KvCache cache = engine.newCache();
            try {
                cache.load(in);
                if (cache.length() != count) {
                    throw new IOException(file + ": the cache covers " + cache.length() + " positions, the history " + count);
                }
            } catch (IOException | RuntimeException e) {
                cache.close();
                throw e;
            }
            return new Loaded(tokens, logits, cache);
        } catch (EOFException e) {
            throw new IOException(file + " ends early: truncated or not a session file", e);
        }
    }

    /** Compares the trailing CRC32C with the one of everything before it. */
    private static void checkCrc(Path file, long size) throws IOException {
        CRC32C crc = new CRC32C();
        int stored;
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            CheckedInputStream body = new CheckedInputStream(in, crc);
            byte[] buffer = new byte[1 << 16];
            for (long left = size - 4; left > 0; ) {
                int n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException();
                }
                left -= n;
            }
            stored = in.readInt();
        }
        if (stored != (int) crc.getValue()) {
            throw new IOException(file + " is corrupt or truncated (checksum mismatch)");
        }
    }

    /** A stored spec in today's canonical form, so a file from before a method gained a parameter still matches. */
    private static String canonical(String spec) {
        try {
            return KvSpec.parse(spec).toString();
        } catch (KvSpecException e) {
            return spec;
        }
    }
}
