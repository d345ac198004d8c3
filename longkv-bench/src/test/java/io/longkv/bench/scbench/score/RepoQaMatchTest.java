package io.longkv.bench.scbench.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RepoQA's best-match rule: the requested needle must be the most similar one, at BLEU 0.8 or more. */
class RepoQaMatchTest {
    private static final String COUNT = "def count_big(xs):\n    n = 0\n    for x in xs:\n        if x > 37:\n            n += 1\n    return n\n";
    private static final String CLAMP = "def clamp(v):\n    if v < 0:\n        return 0\n    if v > 99:\n        return 99\n    return v\n";
    private static final List<RepoQaMatch.Needle> NEEDLES = List.of(new RepoQaMatch.Needle("count_big", COUNT),
            new RepoQaMatch.Needle("clamp", CLAMP));

    @Test
    void theFirstCodeBlockIsCompared() {
        String answer = "Here it is:\n```python\n" + COUNT + "```\nand another\n```python\n" + CLAMP + "```";
        assertEquals(1, RepoQaMatch.score(answer, "count_big", NEEDLES));
        assertEquals(0, RepoQaMatch.score(answer, "clamp", NEEDLES), "the best match is another needle");
    }

    @Test
    void withoutABlockTheWholeOutputIsCompared() {
        assertEquals(1, RepoQaMatch.score(CLAMP, "clamp", NEEDLES));
        assertEquals(COUNT.strip(), RepoQaMatch.firstCodeBlock(COUNT));
    }

    @Test
    void aNearMissBelowTheThresholdFails() {
        String sloppy = "```\ndef count_big(xs):\n    return len([x for x in xs if x > 37])\n```";
        assertEquals(0, RepoQaMatch.score(sloppy, "count_big", NEEDLES));
    }
}
