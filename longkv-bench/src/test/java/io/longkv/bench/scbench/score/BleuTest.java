package io.longkv.bench.scbench.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Values computed with NLTK 3.9 ({@code sentence_bleu([ref], cand, smoothing_function=SmoothingFunction().method4)}). */
class BleuTest {
    @Test
    void matchesNltkWithMethod4() {
        assertEquals(1.0, Bleu.sentence("def f(x):\n    return x + 1\n", "def f(x):\n    return x + 1\n"), 1e-12);
        assertEquals(0.7598356856515925, Bleu.sentence("def f(x):\n    return x + 2\n", "def f(x):\n    return x + 1\n"), 1e-12);
        assertEquals(0.3516556927011546, Bleu.sentence(
                "def count(values):\n    total = 0\n    for v in values:\n        total += v\n    return total",
                "def count(values):\n    total = 0\n    for value in values:\n        if value > 3:\n            total += 1\n    return total"),
                1e-12);
        assertEquals(0.029961687346935995, Bleu.sentence("return x", "def f(x):\n    return x + 1\n"), 1e-12);
        assertEquals(0.05883685791697665, Bleu.sentence("a b c d e f", "f e d c b a"), 1e-12);
    }

    @Test
    void shortCandidatesKeepFourOrders() {
        assertEquals(0.36787944117144233, Bleu.sentence("hello", "hello world"), 1e-12);
        assertEquals(0.41252121275142684, Bleu.sentence("x y z", "x y z w"), 1e-12);
    }

    @Test
    void noCommonWordScoresZero() {
        assertEquals(0.0, Bleu.sentence("alpha beta", "gamma delta"));
    }
}
