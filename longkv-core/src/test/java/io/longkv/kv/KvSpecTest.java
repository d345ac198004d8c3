package io.longkv.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.model.ModelConfig;
import io.longkv.model.RopeType;
import org.junit.jupiter.api.Test;

class KvSpecTest {
    private static ModelConfig model(int layers, int headDim) {
        return new ModelConfig("llama", 4 * headDim, layers, 4, 2, headDim, 128, 512, 300, 1e-5f, 10000f, headDim,
                RopeType.NORM, 1f);
    }

    @Test
    void fillsDefaultsAndPrintsTheCanonicalForm() {
        assertEquals("full:dtype=f32,flash=auto", KvSpec.parse("full").toString());
        assertEquals("full:dtype=f16,flash=on", KvSpec.parse(" full : dtype = F16 , flash = ON").toString());
        KvSpec spec = KvSpec.parse("full:dtype=q8_0");
        assertEquals("q8_0", spec.rule(7).params().getString("dtype"));
    }

    @Test
    void perLayerRulesPickTheMethodOfEachLayer() {
        KvSpec spec = KvSpec.parse("layers=0-1:full:dtype=f32;2-:full:dtype=f16");
        assertEquals("f32", spec.rule(1).params().getString("dtype"));
        assertEquals("f16", spec.rule(2).params().getString("dtype"));
        assertEquals("f16", spec.rule(29).params().getString("dtype"));
        assertEquals("layers=0-1:full:dtype=f32,flash=auto;2-:full:dtype=f16,flash=auto", spec.toString());
        assertEquals(spec.toString(), KvSpec.parse(spec.toString()).toString());
        spec.check(model(4, 64));
    }

    @Test
    void errorsNameTheProblem() {
        assertMessage("unknown KV method 'kivy' (known: full", "kivy:bits=2");
        assertMessage("KV method 'full' has no parameter 'bits' (parameters: dtype, flash)", "full:bits=2");
        assertMessage("KV method 'full' parameter 'dtype' must be one of f32, f16, q8_0, got 'bf16'", "full:dtype=bf16");
        assertMessage("parameter 'dtype' given twice", "full:dtype=f16,dtype=f32");
        assertMessage("needs NAME=VALUE", "full:f16");
        assertMessage("overlap", "layers=0-3:full;2-:full:dtype=f16");
        assertMessage("bad layer range 'x'", "layers=x:full");
        assertMessage("empty KV spec", " ");
    }

    @Test
    void checkAgainstTheModelFindsGapsAndIncompatibilities() {
        KvSpec gap = KvSpec.parse("layers=0:full;2-:full");
        KvSpecException e = assertThrows(KvSpecException.class, () -> gap.check(model(4, 64)));
        assertTrue(e.getMessage().contains("does not cover layer 1"), e.getMessage());
        KvSpec past = KvSpec.parse("layers=0-5:full;6-:full:dtype=f16");
        e = assertThrows(KvSpecException.class, () -> past.check(model(4, 64)));
        assertTrue(e.getMessage().contains("past the model's last layer 3"), e.getMessage());
        e = assertThrows(KvSpecException.class, () -> KvSpec.parse("full:dtype=q8_0").check(model(2, 48)));
        assertTrue(e.getMessage().contains("head_dim divisible by 32; this model's is 48"), e.getMessage());
        e = assertThrows(KvSpecException.class, () -> KvSpec.parse("full:dtype=f16,flash=off").check(model(2, 64)));
        assertTrue(e.getMessage().contains("flash=off (llama.cpp's exact order) needs dtype=f32, got dtype=f16"), e.getMessage());
        KvSpec.parse("full:dtype=f32,flash=on").check(model(2, 64));
    }

    @Test
    void numericParametersAreRangeChecked() {
        KvParam p = KvParam.integer("budget", 1024, 16, 1 << 20, "tokens kept");
        assertEquals(64, p.parse("m", "64"));
        KvSpecException e = assertThrows(KvSpecException.class, () -> p.parse("m", "8"));
        assertEquals("KV method 'm' parameter 'budget' must be in [16, 1048576], got 8", e.getMessage());
        e = assertThrows(KvSpecException.class, () -> p.parse("m", "1k"));
        assertTrue(e.getMessage().contains("must be an integer, got '1k'"), e.getMessage());
    }

    private static void assertMessage(String expected, String spec) {
        KvSpecException e = assertThrows(KvSpecException.class, () -> KvSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
