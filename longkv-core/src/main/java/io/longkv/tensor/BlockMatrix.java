package io.longkv.tensor;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** A matrix of quantized blocks: dequantizing a row is dequantizing its blocks in turn. */
abstract class BlockMatrix extends WeightMatrix {
    final int blockSize;
    final int blockBytes;

    BlockMatrix(GgmlType type, MemorySegment data, int rows, int cols) {
        super(type, data, rows, cols);
        this.blockSize = type.blockSize();
        this.blockBytes = type.typeSize();
    }

    @Override
    public final void dequantizeRow(int row, float[] out, int outOffset) {
        checkRange(out, outOffset);
        long offset = rowOffset(row);
        for (int i = 0; i < cols; i += blockSize, offset += blockBytes) {
            dequantizeBlock(data, offset, out, outOffset + i);
        }
    }

    /** Writes the {@code blockSize} values of the block at {@code offset} to {@code out[o...]}. */
    abstract void dequantizeBlock(MemorySegment data, long offset, float[] out, int o);
}
