package io.longkv.bench.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KernelBenchmarksTest {
    @Test
    void attentionHeadsReadsQueryThenKvHeads() {
        assertArrayEquals(new String[] {"8", "4"}, KernelBenchmarks.attentionHeads("8/4"));
        assertArrayEquals(new String[] {"9", "3"}, KernelBenchmarks.attentionHeads(" 9 / 3 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9/4", "9", "a/b", "0/0", "8/4/2", "-8/4"})
    void attentionHeadsRejectsShapesNoModelHas(String shape) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelBenchmarks.attentionHeads(shape));
        assertTrue(e.getMessage().contains(shape), e.getMessage());
    }
}
