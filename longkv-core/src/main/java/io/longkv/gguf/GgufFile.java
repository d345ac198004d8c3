package io.longkv.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An open GGUF file: its metadata, tensor descriptors, and the tensor data memory-mapped in place
 * (nothing is copied to the heap). Close it to unmap; segments obtained from it become invalid.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapped;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final long dataOffset;

    private GgufFile(Path path, Arena arena, MemorySegment mapped, GgufReader.Header header) {
        this.path = path;
        this.arena = arena;
        this.mapped = mapped;
        this.version = header.version();
        this.metadata = header.metadata();
        this.tensors = Collections.unmodifiableMap(header.tensors());
        this.dataOffset = header.dataOffset();
    }

    /** Maps and validates a GGUF file; a malformed one throws {@link GgufFormatException}. */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            GgufReader.Header header = GgufReader.read(mapped);
            return new GgufFile(path, arena, mapped, header);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensor descriptors by name, in file order. */
    public Map<String, GgufTensorInfo> tensors() {
        return tensors;
    }

    public List<GgufTensorInfo> tensorList() {
        return List.copyOf(tensors.values());
    }

    public boolean hasTensor(String name) {
        return tensors.containsKey(name);
    }

    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo info = tensors.get(name);
        if (info == null) {
            throw new NoSuchElementException("GGUF " + path.getFileName() + " has no tensor " + name);
        }
        return info;
    }

    /** The mapped bytes of one tensor. */
    public MemorySegment data(GgufTensorInfo info) {
        return mapped.asSlice(dataOffset + info.offset(), info.byteSize());
    }

    public MemorySegment data(String name) {
        return data(tensor(name));
    }

    /** Absolute file offset of the tensor data section. */
    public long dataOffset() {
        return dataOffset;
    }

    public long fileSize() {
        return mapped.byteSize();
    }

    @Override
    public void close() {
        arena.close();
    }
}
