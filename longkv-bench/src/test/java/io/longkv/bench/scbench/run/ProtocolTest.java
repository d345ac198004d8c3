package io.longkv.bench.scbench.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import io.longkv.engine.Conversation;
import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.testing.TinyModels;
import io.longkv.tokenizer.ChatMessage;
import io.longkv.tokenizer.ChatTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The two shared-context modes on a tiny random model, checked against sessions built by hand. */
class ProtocolTest {
    private static final int WINDOW = 512;
    private static final int MAX_NEW = 6;

    @TempDir
    static Path dir;
    static Model model;
    static ChatTemplate template;

    @BeforeAll
    static void load() throws Exception {
        model = Model.load(TinyModels.write(TinyModels.LLAMA, dir.resolve("tiny.gguf"), 5));
        template = ChatTemplate.fromGguf(model.gguf().metadata());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static ScSession session(String... queries) {
        List<ScTurn> turns = new ArrayList<>();
        for (String q : queries) {
            turns.add(new ScTurn(q, new TextNode("gold " + q), null, null, null));
        }
        return new ScSession("s", new TextNode("a shared context of some length, " + "with filler ".repeat(12)), turns, null, null);
    }

    static List<TurnRecord> run(String spec, ScSession session, Mode mode) {
        return run(spec, session, mode, 0);
    }

    static List<TurnRecord> run(String spec, ScSession session, Mode mode, int traceTokens) {
        Engine engine = new Engine(model, KvSpec.parse(spec), 1L << 28);
        PromptPlan plan = PromptPlan.build(ScTask.KV, session, model.tokenizer(), template, WINDOW, MAX_NEW);
        return new SessionRunner(engine, WINDOW, 32, MAX_NEW, traceTokens).run(ScTask.KV, session, plan, mode);
    }

    @Test
    void segmentsConcatenateToTheRenderedConversation() {
        ScSession s = session("first?", "second?", "third?");
        PromptPlan plan = PromptPlan.build(ScTask.KV, s, model.tokenizer(), template, WINDOW, MAX_NEW);
        List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.user(
                "Extract the value corresponding to the specified key in the JSON object below.\n\n" + s.contextText() + "\n\nfirst?"),
                ChatMessage.assistant("gold first?"), ChatMessage.user("second?"), ChatMessage.assistant("gold second?"),
                ChatMessage.user("third?")));
        int[] expected = Conversation.tokenizeRaw(model.tokenizer(), template.render(conversation, true));
        int[] actual = plan.firstPrompt();
        for (int t = 1; t < 3; t++) {
            actual = PromptPlan.concat(actual, plan.followUps().get(t));
        }
        assertArrayEquals(expected, actual);
        // A request is the context's user message ending with its own query.
        int[] request = PromptPlan.concat(plan.context(), plan.requests().get(1));
        assertArrayEquals(Conversation.tokenizeRaw(model.tokenizer(), template.render(List.of(ChatMessage.user(
                "Extract the value corresponding to the specified key in the JSON object below.\n\n" + s.contextText()
                        + "\n\nsecond?")), true)), request);
    }

    @Test
    void multiRequestForksDoNotSeeEachOthersQueries() {
        List<TurnRecord> all = run("full", session("first?", "second?", "third?"), Mode.MULTI_REQUEST);
        TurnRecord alone = run("full", session("third?"), Mode.MULTI_REQUEST).getFirst();
        TurnRecord third = all.get(2);
        assertEquals(alone.prediction(), third.prediction());
        assertEquals(alone.goldLogProb(), third.goldLogProb(), 1e-5);
        assertEquals(third.contextTokens(), third.reusedTokens(), "each request starts from the shared context only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "snapkv:budget=48,window=8", "kivi:bits=2,group=8,residual=16", "quest:budget=32,page=8,sinks=8,recent=8,dense-layers=0"})
    void multiTurnDropsDecodedTokensAndAppendsTheGold(String spec) {
        ScSession s = session("first?", "second?");
        List<TurnRecord> records = run(spec, s, Mode.MULTI_TURN);
        PromptPlan plan = PromptPlan.build(ScTask.KV, s, model.tokenizer(), template, WINDOW, MAX_NEW);
        assertTrue(records.getFirst().generatedTokens() > 0);
        assertEquals(plan.firstPrompt().length, records.get(1).reusedTokens(), "turn 2 starts where turn 1's prompt ended");
        // The same history built by hand, never decoding turn 1: the prompt of turn 1, then gold 1 and query 2.
        Engine engine = new Engine(model, KvSpec.parse(spec), 1L << 28);
        try (Session byHand = engine.newSession(WINDOW, 32)) {
            byHand.append(plan.firstPrompt());
            TurnMeasure second = TurnRunner.run(byHand, plan.followUps().get(1), MAX_NEW, plan.golds().get(1));
            assertEquals(second.prediction(), records.get(1).prediction());
            assertEquals(second.goldLogProb(), records.get(1).goldLogProb(), 1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi-turn", "multi-request"})
    void aTraceShowsTheEndOfWhatEachTurnRead(String modeLabel) throws Exception {
        Mode mode = Mode.byLabel(modeLabel);
        ScSession s = session("first?", "second?");
        List<TurnRecord> traced = run("full", s, mode, 400);
        PromptPlan plan = PromptPlan.build(ScTask.KV, s, model.tokenizer(), template, WINDOW, MAX_NEW);
        for (int t = 0; t < 2; t++) {
            String seen = model.tokenizer().decode(plan.history(mode, t));
            String tail = traced.get(t).promptTail();
            assertTrue(seen.endsWith(tail) && tail.contains(s.turns().get(t).input()), tail);
        }
        assertTrue(traced.get(1).promptTail().contains("gold first?") == (mode == Mode.MULTI_TURN),
                "only multi-turn mode has the previous gold answer in its history");
        TurnRecord plain = run("full", s, mode).getFirst();
        assertEquals(null, plain.promptTail(), "no trace unless asked for");
        assertTrue(!ResultLog.JSON.writeValueAsString(plain).contains("prompt_tail"), "an untraced record keeps its old form");
        assertEquals(traced.getFirst(), ResultLog.JSON.readValue(ResultLog.JSON.writeValueAsString(traced.getFirst()), TurnRecord.class));
    }

    @Test
    void aCompressingMethodHoldsLessThanTheFullCache() {
        ScSession s = session("first?", "second?");
        TurnRecord full = run("full", s, Mode.MULTI_REQUEST).getFirst();
        TurnRecord snap = run("snapkv:budget=48,window=8", s, Mode.MULTI_REQUEST).getFirst();
        assertEquals(1.0, full.memoryRatio(), 0.05);
        assertTrue(snap.memoryRatio() < 0.6 * full.memoryRatio(), snap.memoryRatio() + " vs " + full.memoryRatio());
        assertTrue(snap.readRatio() < full.readRatio(), snap.readRatio() + " vs " + full.readRatio());
    }

    @Test
    void aLongContextIsCutInTheMiddle() {
        assertArrayEquals(new int[] {0, 1, 7, 8, 9}, PromptPlan.cutMiddle(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5));
        ScSession s = session("first?", "second?");
        PromptPlan roomy = PromptPlan.build(ScTask.KV, s, model.tokenizer(), template, WINDOW, MAX_NEW);
        int needed = roomy.firstPrompt().length + roomy.followUps().get(1).length + MAX_NEW;
        PromptPlan tight = PromptPlan.build(ScTask.KV, s, model.tokenizer(), template, needed - 40, MAX_NEW);
        assertEquals(0, roomy.truncatedTokens());
        assertEquals(40, tight.truncatedTokens());
        assertEquals(roomy.context().length - 40, tight.context().length);
        int[] head = java.util.Arrays.copyOf(roomy.context(), 30);
        assertArrayEquals(head, java.util.Arrays.copyOf(tight.context(), 30), "the start (template, instruction) is kept");
    }
}
