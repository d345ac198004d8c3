package io.longkv.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated and byte-mutated copies of a valid GGUF either load or throw {@link GgufFormatException}:
 * never another exception, an OutOfMemoryError or a hang.
 */
class GgufFuzzTest {
    private static final int CASES = 12_000;
    private static final int FILE_CASES = 300;

    @TempDir
    Path dir;

    @Test
    void mutatedFilesLoadOrFailWithFormatException() {
        byte[] seed = seedFile();
        Random random = new Random(20261122);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            for (int i = 0; i < CASES; i++) {
                byte[] mutated = mutate(seed, random);
                outcomes[parse(mutated, i) ? 0 : 1]++;
            }
        });
        assertEquals(CASES, outcomes[0] + outcomes[1]);
        // Both outcomes must occur, or the mutations are not reaching the parser.
        assertTrue(outcomes[0] > 100 && outcomes[1] > 100, "loaded " + outcomes[0] + ", rejected " + outcomes[1]);
    }

    @Test
    void mutatedFilesOnDiskLoadOrFailWithFormatException() throws Exception {
        byte[] seed = seedFile();
        Random random = new Random(7);
        Path file = dir.resolve("fuzz.gguf");
        for (int i = 0; i < FILE_CASES; i++) {
            Files.write(file, mutate(seed, random));
            try (GgufFile gguf = GgufFile.open(file)) {
                gguf.tensorList().forEach(gguf::data);
            } catch (GgufFormatException expected) {
                assertTrue(expected.offset() >= 0 && expected.offset() <= Files.size(file), expected.getMessage());
            }
        }
    }

    /** True when the bytes load; a GgufFormatException counts as a clean rejection; anything else fails. */
    private static boolean parse(byte[] bytes, int caseNumber) {
        try {
            MemorySegment segment = MemorySegment.ofArray(bytes);
            GgufReader.Header header = GgufReader.read(segment);
            for (GgufTensorInfo t : header.tensors().values()) {
                segment.asSlice(header.dataOffset() + t.offset(), t.byteSize());
            }
            return true;
        } catch (GgufFormatException expected) {
            if (expected.offset() < 0 || expected.offset() > bytes.length) {
                fail("case " + caseNumber + ": offset " + expected.offset() + " outside the file: " + expected.getMessage());
            }
            return false;
        } catch (Throwable other) {
            throw new AssertionError("case " + caseNumber + " threw " + other, other);
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                return Arrays.copyOf(out, random.nextInt(seed.length));
            }
            case 1 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    out[headerBiased(random, out.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> {
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    out[headerBiased(random, out.length)] = (byte) random.nextInt(256);
                }
            }
            default -> {
                // An extreme length, count or type written over an 8-byte window.
                long[] extremes = {0, -1, Long.MAX_VALUE, Integer.MAX_VALUE, 0xFFFFFFFFL, 1L << 32, 13, 1 << 20};
                long value = extremes[random.nextInt(extremes.length)];
                int at = headerBiased(random, out.length - 8);
                for (int b = 0; b < 8; b++) {
                    out[at + b] = (byte) (value >>> (8 * b));
                }
            }
        }
        return out;
    }

    /** Most faults go into the header, where the parsing happens; the rest anywhere. */
    private static int headerBiased(Random random, int length) {
        return random.nextInt(4) == 0 ? random.nextInt(length) : random.nextInt(Math.min(length, 700));
    }

    private static byte[] seedFile() {
        return new GgufWriter()
                .putString("general.architecture", "llama")
                .putU32("llama.block_count", 2)
                .putF32("llama.rope.freq_base", 10000f)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putStrings("tokenizer.ggml.tokens", "<s>", "</s>", "a", "b", "ab")
                .putInts("tokenizer.ggml.token_type", GgufValueType.INT32, 3, 3, 1, 1, 1)
                .putFloats("tokenizer.ggml.scores", 0f, 0f, -1f, -2f, -3f)
                .putArray("nested", GgufValueType.ARRAY, List.of(
                        new GgufWriter.Array(GgufValueType.UINT16, List.of(1L, 2L)),
                        new GgufWriter.Array(GgufValueType.STRING, List.of("x", "yz"))))
                .put("u64", GgufValueType.UINT64, 123L)
                .put("f64", GgufValueType.FLOAT64, 0.5)
                .tensorF32("a", new long[] {8, 2}, new float[16])
                .tensor("q", GgmlType.Q8_0, new long[] {32, 2}, new byte[68])
                .tensorF32("b", new long[] {4}, new float[] {1, 2, 3, 4})
                .toBytes();
    }
}
