package io.longkv.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KiviQuestSpecTest {
    @Test
    void defaultsPrintInCanonicalForm() {
        assertEquals("kivi:bits=2,group=32,residual=128,rollback=1024", KvSpec.parse("kivi").toString());
        assertEquals("quest:page=16,budget=1024,sinks=16,recent=16,dense-layers=2,select=head,dtype=f32", KvSpec.parse("quest").toString());
        assertEquals("layers=0-1:full:dtype=f16,flash=auto;2-:kivi:bits=1,group=64,residual=128,rollback=1024",
                KvSpec.parse("layers=0-1:full:dtype=f16,flash=auto;2-:kivi:bits=1,group=64").toString());
        KvSpec.parse("kivi:bits=4").check(KvTesting.model(2, 9, 3, 64));
        KvSpec.parse("quest:budget=64,select=group,dtype=f16").check(KvTesting.model(2, 9, 3, 64));
    }

    @Test
    void badParametersAreNamed() {
        assertParse("KV method 'kivi' parameter 'bits' must be one of 1, 2, 4, got '3'", "kivi:bits=3");
        assertParse("KV method 'kivi' parameter 'group' must be in [8, 4096], got 4", "kivi:group=4");
        assertParse("KV method 'quest' parameter 'select' must be one of head, group, got 'kv'", "quest:select=kv");
        assertParse("KV method 'quest' parameter 'page' must be an integer, got 'x'", "quest:page=x");
        assertCheck("group must be a multiple of 8", "kivi:group=12", 64);
        assertCheck("residual must be a multiple of group (32), got 100", "kivi:residual=100", 64);
        assertCheck("group 64 must divide head_dim 48", "kivi:group=64,residual=128", 48);
        assertCheck("bits=1 needs head_dim * bits divisible by 32; this model's head_dim is 48", "kivi:bits=1,group=16", 48);
        assertCheck("budget (8 tokens) must hold at least one page of 16 tokens", "quest:budget=8", 64);
        assertCheck("sinks and recent take 3 pages of 16 tokens, leaving none of the budget's 3 to select", "quest:budget=48,sinks=17", 64);
        assertCheck("sinks and recent take 134217729 pages", "quest:sinks=" + Integer.MAX_VALUE, 64);
    }

    private static void assertParse(String message, String spec) {
        KvSpecException e = assertThrows(KvSpecException.class, () -> KvSpec.parse(spec));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static void assertCheck(String message, String spec, int headDim) {
        KvSpecException e = assertThrows(KvSpecException.class, () -> KvSpec.parse(spec).check(KvTesting.model(2, 4, 2, headDim)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
