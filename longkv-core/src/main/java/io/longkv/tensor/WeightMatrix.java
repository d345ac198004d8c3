package io.longkv.tensor;

import io.longkv.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A rows x cols weight matrix stored row-major in GGML block layout (little-endian) in a segment
 * that stays mapped: kernels read the packed blocks in place. One final subclass per GGML type
 * supplies {@link #dot} and {@link #dequantizeRow}; the products over rows are shared here.
 */
public abstract class WeightMatrix {
    /** Rows per chunk of a parallel matVec: a chunk should stream at least a few KB of weights. */
    private static final int MATVEC_GRAIN = 16;
    /**
     * Whether matVec (decode) rounds activations to 8 bits for types with an {@link Int8Dot} kernel, and
     * matMul (prefill) for {@link Int8Rows} types, as llama.cpp does: faster in decode and llama.cpp's
     * exact results for Q4_1/Q8_0, but a one-ulp change of an input can flip a code, so results are no
     * longer a smooth function of the inputs. Off gives float activations. Set with
     * {@code -Dlongkv.activations=q8|f32} (default q8) or {@link #setInt8Activations}.
     */
    private static volatile boolean int8Activations = defaultInt8Activations();

    final MemorySegment data;
    final int rows;
    final int cols;
    final long rowBytes;
    private final GgmlType type;

    WeightMatrix(GgmlType type, MemorySegment data, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + "x" + cols);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " rows need a multiple of " + type.blockSize() + " columns, got " + cols);
        }
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = type.byteSize(cols);
        long needed = Math.multiplyExact(rowBytes, (long) rows);
        if (data.byteSize() < needed) {
            throw new IllegalArgumentException(type + " " + rows + "x" + cols + " needs " + needed + " bytes, segment has " + data.byteSize());
        }
        this.data = data;
    }

    private static boolean defaultInt8Activations() {
        String configured = System.getProperty("longkv.activations", "q8").trim();
        return switch (configured) {
            case "q8" -> true;
            case "f32" -> false;
            default -> throw new IllegalArgumentException("-Dlongkv.activations must be q8 or f32, got '" + configured + "'");
        };
    }

    /** Chooses 8-bit (llama.cpp-like, faster) or float activations for every matVec that follows. */
    public static void setInt8Activations(boolean enabled) {
        int8Activations = enabled;
    }

    public static boolean int8Activations() {
        return int8Activations;
    }

    /** A matrix over {@code data}; throws IllegalArgumentException for types without kernels. */
    public static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        return switch (type) {
            case F32 -> new F32Matrix(data, rows, cols);
            case F16 -> new F16Matrix(data, rows, cols);
            case BF16 -> new BF16Matrix(data, rows, cols);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols);
            case Q4_1 -> new Q4_1Matrix(data, rows, cols);
            case Q5_0 -> new Q5_0Matrix(data, rows, cols);
            case Q5_1 -> new Q5_1Matrix(data, rows, cols);
            case Q4_K -> new Q4_KMatrix(data, rows, cols);
            case Q5_K -> new Q5_KMatrix(data, rows, cols);
            case Q6_K -> new Q6_KMatrix(data, rows, cols);
            default -> throw new IllegalArgumentException("GGML type " + type + " has no kernels; supported: "
                    + "F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K");
        };
    }

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    public final GgmlType type() {
        return type;
    }

    /** Bytes of weights one full pass over the matrix reads. */
    public final long byteSize() {
        return rowBytes * rows;
    }

    /** Writes row {@code row} as {@code cols} floats to {@code out[outOffset...]}. */
    public abstract void dequantizeRow(int row, float[] out, int outOffset);

    /** The dot product of row {@code row} with {@code x[xOffset .. xOffset + cols)}. */
    public abstract float dot(int row, float[] x, int xOffset);

    /**
     * {@code out[outOffset + r]} = row r . x for every row, parallel over rows (row pairs for the int8 kernels). Types with an
     * {@link Int8Dot} kernel quantize x to 8 bits first (as llama.cpp does) unless activations are set
     * to float; others use {@link #dot}.
     */
    public final void matVec(float[] x, float[] out, int outOffset) {
        Objects.checkFromIndexSize(0, cols, x.length);
        Objects.checkFromIndexSize(outOffset, rows, out.length);
        if (int8Activations && this instanceof Int8Dot int8) {
            Q8Activations q = Q8Activations.ofThread(x, 0, cols);
            q.group();
            Parallel.parallelFor(pairs(rows), MATVEC_GRAIN / 2, (from, to) -> {
                for (int pair = from; pair < to; pair++) {
                    rowPair(int8, rows, pair, q, out, outOffset);
                }
            });
            return;
        }
        Parallel.parallelFor(rows, MATVEC_GRAIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                out[outOffset + r] = dot(r, x, 0);
            }
        });
    }

    /**
     * matVec of one x by several matrices of its width in a single parallel pass: decode's Q/K/V and
     * gate/up projections then pay one activation quantization and one dispatch instead of one each.
     * {@code outs[m]} receives the rows of {@code matrices[m]}, each computed exactly as matVec does.
     */
    public static void matVecs(float[] x, WeightMatrix[] matrices, float[][] outs) {
        int cols = matrices[0].cols;
        boolean int8 = int8Activations;
        for (int m = 0; m < matrices.length; m++) {
            WeightMatrix w = matrices[m];
            if (w.cols != cols) {
                throw new IllegalArgumentException("matrices of one matVecs need equal widths, got " + cols + " and " + w.cols);
            }
            Objects.checkFromIndexSize(0, w.rows, outs[m].length);
            int8 &= w instanceof Int8Dot;
        }
        Objects.checkFromIndexSize(0, cols, x.length);
        Q8Activations q = int8 ? Q8Activations.ofThread(x, 0, cols) : null;
        if (q != null) {
            q.group();
        }
        // Work units: row pairs for the int8 kernels (as in matVec), single rows otherwise.
        int unitRows = int8 ? 2 : 1;
        int total = 0;
        for (WeightMatrix w : matrices) {
            total += (w.rows + unitRows - 1) / unitRows;
        }
        Parallel.parallelFor(total, MATVEC_GRAIN / unitRows, (from, to) -> {
            int base = 0;
            for (int m = 0; m < matrices.length && base < to; m++) {
                WeightMatrix w = matrices[m];
                int units = (w.rows + unitRows - 1) / unitRows;
                for (int u = Math.max(from, base) - base, end = Math.min(to - base, units); u < end; u++) {
                    if (q != null) {
                        rowPair((Int8Dot) w, w.rows, u, q, outs[m], 0);
                    } else {
                        outs[m][u] = w.dot(u, x, 0);
                    }
                }
                base += units;
            }
        });
    }

    private static int pairs(int rows) {
        return (rows + 1) / 2;
    }

    /** Rows 2 * pair and 2 * pair + 1 (the last pair of an odd count has one row) into {@code out[offset + r]}. */
    private static void rowPair(Int8Dot w, int rows, int pair, Q8Activations q, float[] out, int offset) {
        int r = 2 * pair;
        if (r + 1 < rows) {
            w.dotPair(r, q, out, offset + r);
        } else {
            out[offset + r] = w.dot(r, q);
        }
    }

    /**
     * {@code out[t * rows + r]} = row r . token row t of x, for {@code tokens} rows of x (tokens x cols,
     * row-major), parallel over row x token tiles. {@link Int8Rows} types use 8-bit activations as
     * llama.cpp's prefill does (unless activations are set to float), so each output equals what
     * matVec gives for that token; the others multiply float activations.
     */
    public final void matMul(float[] x, int tokens, float[] out) {
        Objects.checkFromIndexSize(0, Math.multiplyExact(tokens, cols), x.length);
        Objects.checkFromIndexSize(0, Math.multiplyExact(tokens, rows), out.length);
        if (tokens == 1) {
            matVec(x, out, 0);
        } else if (int8Activations && this instanceof Int8Rows int8) {
            Int8MatMul.run(this, int8, x, tokens, out);
        } else {
            MatMul.run(this, x, tokens, out);
        }
    }

    final long rowOffset(int row) {
        Objects.checkIndex(row, rows);
        return row * rowBytes;
    }

    final void checkRange(float[] a, int offset) {
        Objects.checkFromIndexSize(offset, cols, a.length);
    }

    final void checkRange(Q8Activations x, int token) {
        if (x.length() < (token + 1L) * cols) {
            throw new IllegalArgumentException("activations hold " + x.length() + " values, token " + token + " of "
                    + cols + " columns needs " + (token + 1L) * cols);
        }
    }

    final void checkRange(Q8Activations x) {
        if (x.length() != cols) {
            throw new IllegalArgumentException("activations hold " + x.length() + " values, the matrix has " + cols + " columns");
        }
    }

    @Override
    public String toString() {
        return type + "[" + rows + "x" + cols + "]";
    }
}
