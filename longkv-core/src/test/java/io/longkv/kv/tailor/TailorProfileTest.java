package io.longkv.kv.tailor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.kv.KvSpec;
import io.longkv.kv.KvSpecException;
import io.longkv.kv.KvTesting;
import io.longkv.kv.block.BlockPool;
import io.longkv.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailorProfileTest {
    @TempDir
    Path dir;

    @Test
    void jsonRoundTripKeepsEveryFieldAndTheClasses() throws IOException {
        TailorProfile profile = new TailorProfile("m.gguf", "abc123", 0.05, 0.2, 32, "default", 2533, new double[] {0.59, 0.19, 0.2, 0.21});
        Path file = dir.resolve("p.json");
        profile.write(file);
        TailorProfile read = TailorProfile.read(file);
        assertEquals(profile.modelFile(), read.modelFile());
        assertEquals(profile.modelIdentity(), read.modelIdentity());
        assertEquals(profile.lastQ(), read.lastQ());
        assertEquals(profile.calibrationTokens(), read.calibrationTokens());
        assertArrayEquals(profile.outsideMass(), read.outsideMass());
        assertEquals(List.of(0, 3), read.quantizationLayers(), "above beta = quantization-friendly; exactly beta is not");
        assertTrue(Files.readString(file).contains("\"class\" : \"sparsity\""));
    }

    @Test
    void malformedProfilesFailNamingTheFile() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"format\": \"something else\"}");
        IOException e = assertThrows(IOException.class, () -> TailorProfile.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        Files.writeString(file, "{\"format\": \"longkv-tailor-profile-1\", \"layers\": [{\"layer\": 1, \"outside_mass\": 0.1}]}");
        assertTrue(assertThrows(IOException.class, () -> TailorProfile.read(file)).getMessage().contains("layer 0"));
    }

    @Test
    void outsideMassIsWhatTheTopKeysLeave() {
        float[] p = {0.1f, 0.5f, 0.1f, 0.3f};
        float[] tmp = new float[4];
        assertEquals(0.5, AttentionMassProbe.outside(p, 4, 1, tmp), 1e-6);
        assertEquals(0.2, AttentionMassProbe.outside(p, 4, 2, tmp), 1e-6);
        assertEquals(0.1, AttentionMassProbe.outside(p, 4, 3, tmp), 1e-6, "ties: one of the two 0.1s is kept");
        assertEquals(0.0, AttentionMassProbe.outside(p, 4, 4, tmp), 1e-6);
    }

    @Test
    void aPeakedLayerIsSparseAndAFlatOneDense() {
        ModelConfig model = KvTesting.model(1, 2, 1, 8);
        int tokens = 200;
        // Peaked: one key aligned with every query; flat: all keys zero (uniform attention).
        assertTrue(probe(model, tokens, true) < 0.2);
        assertEquals(1 - 10.0 / tokens, probe(model, tokens, false), 0.02);
    }

    private static double probe(ModelConfig model, int tokens, boolean peaked) {
        KvSpec full = KvSpec.parse("full:dtype=f32");
        var inner = full.rule(0).method().create(KvTesting.context(0, model, new BlockPool(1L << 28, 16)), full.rule(0).params());
        AttentionMassProbe probe = new AttentionMassProbe(inner, 2, 1, 8, tokens, 4, (int) (0.05 * tokens));
        float[] keys = new float[tokens * 8];
        float[] values = new float[tokens * 8];
        float[] queries = new float[tokens * 16];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = 1;
        }
        if (peaked) {
            for (int i = 0; i < 8; i++) {
                keys[17 * 8 + i] = 4;
            }
        }
        probe.append(0, keys, values, tokens);
        probe.attend(0, queries, tokens, new float[tokens * 16]);
        probe.close();
        return probe.outsideMass();
    }

    @Test
    void specErrorsAreClear() {
        ModelConfig model = KvTesting.model(2, 4, 2, 64);
        KvSpecException e = assertThrows(KvSpecException.class, () -> KvSpec.parse("tailor:budget=64,sinks=8,recent=56").check(model));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
        assertTrue(assertThrows(KvSpecException.class, () -> KvSpec.parse("tailor:channels=65").check(model)).getMessage().contains("channels"));
        KvSpec spec = KvSpec.parse("tailor");
        assertFalse(assertThrows(KvSpecException.class,
                () -> spec.rule(0).method().create(KvTesting.context(0, model, new BlockPool(1L << 20, 16)), spec.rule(0).params()))
                .getMessage().isEmpty());
    }
}
