package io.longkv.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.longkv.gguf.GgufFile;
import io.longkv.gguf.GgufTensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** matVec over tensors of the default model (mapped, as the forward pass uses them) against dequantize-then-dot (of the 8-bit activations for int8 kernels). */
@Tag("model")
class ModelWeightsTest {
    private static final Path MODEL = Path.of(System.getProperty("longkv.model",
            System.getProperty("user.home") + "/.cache/longkv/models/SmolLM2-135M-Instruct.Q4_1.gguf"));

    @ParameterizedTest
    @ValueSource(strings = {"blk.0.ffn_down.weight", "blk.29.ffn_gate.weight", "blk.3.attn_k.weight", "token_embd.weight"})
    void matVecMatchesDequantizedRows(String name) throws Exception {
        assumeTrue(Files.isRegularFile(MODEL), "default model not found at " + MODEL + " (./longkv model fetch)");
        try (GgufFile file = GgufFile.open(MODEL)) {
            GgufTensorInfo info = file.tensor(name);
            int cols = (int) info.dim(0);
            int rows = (int) info.dim(1);
            WeightMatrix m = WeightMatrix.of(info.type(), file.data(info), rows, cols);
            assertEquals(info.byteSize(), m.byteSize());
            float[] x = WeightMatrixTest.randomVector(new Random(7), cols);
            float[] out = new float[rows];
            m.matVec(x, out, 0);
            float[] row = new float[cols];
            for (int r = 0; r < rows; r++) {
                m.dequantizeRow(r, row, 0);
                WeightMatrixTest.assertMatVecRow(m, row, 0, r, x, out[r], name + " row " + r);
            }
        }
    }
}
