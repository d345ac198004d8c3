package io.longkv.bench.scbench.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SCBench's string scorers on hand-made outputs. */
class AnswerMatchTest {
    @Test
    void substringIsCaseSensitive() {
        assertEquals(1, AnswerMatch.substring("The value is 6aef62ca-b14f.", "6aef62ca-b14f"));
        assertEquals(0, AnswerMatch.substring("The value is 6AEF62CA-B14F.", "6aef62ca-b14f"));
    }

    @Test
    void fractionFoundCountsEachNameIgnoringCase() {
        List<String> names = List.of("QZQKZ", "VGMED", "BWDLZ");
        assertEquals(1.0, AnswerMatch.fractionFound("qzqkz, VGMED and BWDLZ", names));
        assertEquals(0.67, AnswerMatch.fractionFound("QZQKZ VGMED", names));
        assertEquals(0.33, AnswerMatch.fractionFound("only QZQKZ", names));
        assertEquals(0.0, AnswerMatch.fractionFound("none", names));
    }

    @Test
    void firstIntegerReadsTheFirstRunOfDigits() {
        assertEquals(1, AnswerMatch.firstInteger("The pass key is 85150.", "85150"));
        assertEquals(0, AnswerMatch.firstInteger("Door 2 has pass key 85150.", "85150"), "the first integer is 2");
        assertEquals(0, AnswerMatch.firstInteger("no digits", "85150"));
        assertEquals(0, AnswerMatch.firstInteger("851500", "85150"));
    }

    @Test
    void firstNumberTruncatesADecimal() {
        assertEquals(1, AnswerMatch.firstNumber("996", "996"));
        assertEquals(1, AnswerMatch.firstNumber("It is 996.7 or so", "996"));
        assertEquals(0, AnswerMatch.firstNumber("The largest number in the", "996"));
        assertEquals(0, AnswerMatch.firstNumber("3 and 996", "996"));
    }

    @Test
    void firstOptionIsTheStrictManyShotRule() {
        assertEquals(1, AnswerMatch.firstOption("(c) the ball", "(C)"));
        assertEquals(0, AnswerMatch.firstOption("(B) or maybe (C)", "(C)"), "the first option decides");
        assertEquals(1, AnswerMatch.anyLabel("(B) or maybe (C)", java.util.List.of("(C)")), "the lenient rule takes any");
        assertEquals(0, AnswerMatch.firstOption("C", "(C)"), "a bare letter is no option");
    }

    @Test
    void anyLabelIgnoresCase() {
        assertEquals(1, AnswerMatch.anyLabel("The instrument was The Accordion.", List.of("the accordion")));
        assertEquals(1, AnswerMatch.anyLabel("(c)", List.of("(C)")));
        assertEquals(0, AnswerMatch.anyLabel("(B)", List.of("(C)")));
    }

    @Test
    void choiceFollowsInfiniteBenchOrder() {
        List<String> labels = List.of("Porto", "C");
        assertEquals(1, AnswerMatch.choice("C. Porto", labels), "leading letter");
        assertEquals(0, AnswerMatch.choice("B. Porto", labels), "the leading letter decides even if the text matches");
        assertEquals(1, AnswerMatch.choice("Porto", labels), "the whole output is a label");
        assertEquals(1, AnswerMatch.choice("I think the answer is: C", labels));
        assertEquals(1, AnswerMatch.choice("so the answer is Porto, clearly", labels));
        assertEquals(0, AnswerMatch.choice("so the answer is: B", labels));
        assertEquals(1, AnswerMatch.choice("Hmm, option C it is", labels), "first standalone letter");
        assertEquals(0, AnswerMatch.choice("Hmm, D", labels));
        assertEquals(0, AnswerMatch.choice("  ", labels));
    }

    @Test
    void characterF1DropsPunctuationAndSpaces() {
        assertEquals(1.0, AnswerMatch.characterF1("北京。", List.of("北 京")), 1e-12);
        // prediction 北京市 (3 chars) against 北京 (2): precision 2/3, recall 1, F1 0.8
        assertEquals(0.8, AnswerMatch.characterF1("北京市", List.of("北京")), 1e-12);
        assertEquals(0.0, AnswerMatch.characterF1("上海", List.of("北京")), 1e-12);
    }
}
