package io.longkv.kv.tailor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One append-only file of the cold tier, memory-mapped read-only chunk by chunk. Chunks are written with
 * ordinary writes (so a full disk is an {@link java.io.IOException}, not a fault in a mapped page) and mapped
 * after. Reference counted: forks share the chunks written so far read-only; the last holder unmaps the
 * file and deletes it. Writes come from the one cache that created the file. Files still open when the JVM
 * exits (sessions never closed, prefix-cache entries) are deleted by a shutdown hook; those of a process
 * killed before its hook ran are swept by the next process that creates a file there ({@link StaleColdFiles}).
 */
final class ColdFile {
    private static final Set<ColdFile> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(ColdFile::delete), "tailor-cold-cleanup"));
    }

    private final Path path;
    private final FileChannel channel;
    private final Arena arena = Arena.ofShared();
    private final Object fileKey;
    private final boolean removeDirectory;
    private final AtomicInteger refs = new AtomicInteger(1);
    private long end;

    private ColdFile(Path path, FileChannel channel, Object fileKey, boolean removeDirectory) {
        this.path = path;
        this.removeDirectory = removeDirectory;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * A new empty file in {@code directory} (created if missing), named after {@code label}; with
     * {@code removeDirectory} (the engine's per-process directory, not one the user gave) the directory goes
     * when its last file does.
     */
    static ColdFile create(Path directory, String label, boolean removeDirectory) {
        StaleColdFiles.sweepOnce(directory, removeDirectory);
        Path path = directory.resolve(StaleColdFiles.fileName(label, UUID.randomUUID().toString()));
        try {
            FileChannel channel;
            try {
                Files.createDirectories(directory);
                channel = open(path);
            } catch (NoSuchFileException e) {
                // The directory was removed by the last file of another session leaving it empty: make it again.
                Files.createDirectories(directory);
                channel = open(path);
            }
            ColdFile file = new ColdFile(path, channel, Files.readAttributes(path, BasicFileAttributes.class).fileKey(), removeDirectory);
            OPEN.add(file);
            return file;
        } catch (IOException e) {
            throw new ColdTierException("cannot create the cold-tier file " + path + ": " + e.getMessage(), e);
        }
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    Path path() {
        return path;
    }

    /** Bytes written. */
    long bytes() {
        return end;
    }

    /** Appends {@code data} and returns it mapped read-only from the file. */
    MemorySegment append(MemorySegment data) {
        long at = end;
        try {
            ByteBuffer buffer = data.asByteBuffer();
            long position = at;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            end = position;
            return channel.map(FileChannel.MapMode.READ_ONLY, at, data.byteSize(), arena);
        } catch (IOException e) {
            throw new ColdTierException("cannot write " + data.byteSize() + " bytes to the cold-tier file " + path
                    + " (disk full?): " + e.getMessage(), e);
        }
    }

    /**
     * Fails with a {@link ColdTierException} when the file was deleted, replaced or shortened: a mapped file
     * stays readable after it is unlinked, so only the path tells the session its cold tier is gone.
     */
    void check() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!fileKey.equals(attributes.fileKey())) {
                throw new ColdTierException("the cold-tier file " + path + " was replaced by another file");
            }
            if (attributes.size() < end) {
                throw new ColdTierException("the cold-tier file " + path + " was truncated to " + attributes.size()
                        + " bytes (it held " + end + ")");
            }
        } catch (NoSuchFileException e) {
            throw new ColdTierException("the cold-tier file " + path + " was deleted", e);
        } catch (IOException e) {
            throw new ColdTierException("cannot read the cold-tier file " + path + ": " + e.getMessage(), e);
        }
    }

    ColdFile retain() {
        refs.incrementAndGet();
        return this;
    }

    /** Drops a holder; the last one unmaps and deletes the file. */
    void release() {
        int left = refs.decrementAndGet();
        if (left > 0) {
            return;
        }
        if (left < 0) {
            throw new IllegalStateException("cold-tier file released more often than retained");
        }
        arena.close();
        OPEN.remove(this);
        delete();
    }

    /** Closes and deletes the file, and its directory when asked and empty (another session's file keeps it). */
    private void delete() {
        try {
            channel.close();
            Files.deleteIfExists(path);
            if (removeDirectory) {
                Files.deleteIfExists(path.getParent());
            }
        } catch (DirectoryNotEmptyException e) {
            // Other sessions' files are still there.
        } catch (IOException e) {
            throw new ColdTierException("cannot delete the cold-tier file " + path + ": " + e.getMessage(), e);
        }
    }
}
