package io.longkv.bench.scbench.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Values computed with Google's rouge_score 0.1.2 ({@code RougeScorer(['rougeLsum']).score(reference, prediction)}). */
class RougeLsumTest {
    @Test
    void matchesRougeScore() {
        assertEquals(0.7692307692307692, RougeLsum.fMeasure("the cat was sitting on the mat", "The cat sat on the mat."), 1e-12);
        assertEquals(0.4761904761904762, RougeLsum.fMeasure("Elizabeth walked alone to Netherfield in the rain.\nDarcy admired her eyes.",
                "Elizabeth walked to Netherfield.\nShe met Mr. Darcy there."), 1e-12);
        assertEquals(0.0, RougeLsum.fMeasure("completely different words", "nothing in common"), 1e-12);
        assertEquals(0.8333333333333333, RougeLsum.fMeasure("a b a b c\nc a", "a b c a b"), 1e-12);
    }

    @Test
    void emptyTextScoresZero() {
        assertEquals(0.0, RougeLsum.fMeasure("", "a reference"));
        assertEquals(0.0, RougeLsum.fMeasure("!!!", "a reference"));
    }
}
