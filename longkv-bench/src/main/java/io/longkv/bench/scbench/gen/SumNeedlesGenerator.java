package io.longkv.bench.scbench.gen;

import com.fasterxml.jackson.databind.node.TextNode;
import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import io.longkv.bench.scbench.data.ScTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mix.Sum+NIAH: documents cut from the corpus, each followed by a pass key tagged with a word (a number in the
 * tag would be what SCBench's first-integer scorer reads); turns alternate between a pass key and a
 * one-sentence summary of a document. Without human summaries the gold summary is the
 * document's first two sentences (its lead), scored with ROUGE-Lsum like SCBench's GPT-4 summaries.
 */
final class SumNeedlesGenerator implements SessionGenerator {
    private static final int DOCS = 4;
    private final CorpusText corpus;
    private final int turns;

    SumNeedlesGenerator(CorpusText corpus, int turns) {
        this.corpus = corpus;
        this.turns = turns;
    }

    @Override
    public ScTask task() {
        return ScTask.SUMMARY_WITH_NEEDLES;
    }

    @Override
    public ScSession generate(String id, Random random, int units) {
        int sentencesPerDoc = Math.max(3, units / DOCS);
        StringBuilder context = new StringBuilder();
        List<PassKey> keys = PassKey.random(random, DOCS);
        List<String> leads = new ArrayList<>();
        for (int d = 1; d <= DOCS; d++) {
            List<String> doc = corpus.passage(random, sentencesPerDoc);
            PassKey key = keys.get(d - 1);
            leads.add(doc.get(0) + " " + doc.get(1));
            context.append("Doc ").append(d).append(":\n").append(String.join(" ", doc)).append("\n\n").append(key.needle())
                    .append("\n\n");
        }
        List<ScTurn> asked = new ArrayList<>();
        for (int t = 0; t < turns; t++) {
            // Pass keys are asked from the first document on, summaries from the last one back.
            int doc = t % 2 == 0 ? (t / 2) % DOCS : DOCS - 1 - (t / 2) % DOCS;
            asked.add(t % 2 == 0
                    ? keys.get(doc).question(ScTask.PASSKEY.fileName())
                    : new ScTurn("Please summarize Doc " + (doc + 1) + " in one sentence.", new TextNode(leads.get(doc)), null,
                    ScTask.SUMMARY.fileName(), null));
        }
        return new ScSession(id, new TextNode(context.toString().strip()), asked, null, null);
    }

    @Override
    public int guessUnits(int tokens) {
        return tokens / 30;
    }
}
