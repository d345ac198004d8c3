package io.longkv.bench.fidelity;

import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Quality of KV methods against the full f32 cache on one model: teacher-forced perplexity, next-token KL
 * and top-1 agreement over decode steps that follow a compressed prompt, and a passkey sweep.
 */
public final class FidelityBenchmark {
    /** The reference every method is compared with. */
    public static final String REFERENCE = KvSpec.parse("full:dtype=f32").toString(); // canonical, as results name their spec
    /** Where the teacher-forced text starts in the corpus: past the first book's front matter. */
    private static final int TEXT_OFFSET = 20_000;

    private final Model model;
    private final FidelityConfig config;

    public FidelityBenchmark(Model model, FidelityConfig config) {
        this.model = model;
        this.config = config;
    }

    /**
     * Runs every spec and the reference, which is added first when absent: its perplexity and passkey accuracy
     * are what the others are read against. {@code progress} hears what runs.
     */
    public List<FidelityResult> run(List<KvSpec> specs, Consumer<String> progress) {
        List<KvSpec> all = new ArrayList<>(specs);
        int reference = indexOf(all, REFERENCE);
        if (reference < 0) {
            all.addFirst(KvSpec.parse(REFERENCE));
            reference = 0;
        }
        int[] corpus = Corpus.tokens(config.corpus(), model.tokenizer());
        if (corpus.length < config.length()) {
            throw new IllegalArgumentException("the corpus has " + corpus.length + " tokens, fewer than --length " + config.length());
        }
        int start = Math.min(TEXT_OFFSET, corpus.length - config.length());
        int[] text = Arrays.copyOfRange(corpus, start, start + config.length());

        Engine[] engines = new Engine[all.size()];
        Session[] sessions = new Session[all.size()];
        for (int m = 0; m < all.size(); m++) {
            engines[m] = new Engine(model, all.get(m), Engine.defaultMemoryBudget() / all.size());
            sessions[m] = engines[m].newSession(config.length() + 1, config.chunk());
        }
        progress.accept("teacher forcing: " + (config.length() - config.scored()) + "-token prompt, " + config.scored()
                + " scored decode steps, " + all.size() + " caches in lockstep");
        TeacherForcing.Totals[] totals = TeacherForcing.run(sessions, reference, text, config.scored());
        long[] kvBytes = new long[all.size()];
        for (int m = 0; m < all.size(); m++) {
            kvBytes[m] = sessions[m].cache().memory().total();
            sessions[m].close();
        }

        List<Map<Integer, Double>> passkey = new ArrayList<>();
        for (int m = 0; m < all.size(); m++) {
            passkey.add(new LinkedHashMap<>());
        }
        for (int length : config.passkeyLengths()) {
            int[] correct = new int[all.size()];
            for (int d = 0; d < config.depths(); d++) {
                double depth = config.depths() == 1 ? 0.5 : (double) d / (config.depths() - 1);
                for (int seed = 0; seed < config.seeds(); seed++) {
                    Passkey.Prompt prompt = Passkey.build(model.tokenizer(), corpus, length, depth, seed);
                    for (int m = 0; m < all.size(); m++) {
                        long t0 = System.nanoTime();
                        try (Session session = engines[m].newSession(length + config.answerTokens(), config.chunk())) {
                            correct[m] += Passkey.answer(session, prompt, config.answerTokens()) ? 1 : 0;
                        }
                        totals[m].seconds += (System.nanoTime() - t0) / 1e9;
                    }
                }
                progress.accept(String.format("passkey %d tokens, depth %.0f%%: done", length, depth * 100));
            }
            for (int m = 0; m < all.size(); m++) {
                passkey.get(m).put(length, (double) correct[m] / (config.depths() * config.seeds()));
            }
        }

        double referencePpl = Math.exp(totals[reference].nll / config.scored());
        List<FidelityResult> results = new ArrayList<>();
        for (int m = 0; m < all.size(); m++) {
            double ppl = Math.exp(totals[m].nll / config.scored());
            results.add(new FidelityResult(all.get(m).toString(), ppl, 100 * (ppl / referencePpl - 1),
                    totals[m].kl / config.scored(), (double) totals[m].agree / config.scored(), passkey.get(m),
                    kvBytes[m], totals[m].seconds));
        }
        return results;
    }

    private static int indexOf(List<KvSpec> specs, String spec) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).toString().equals(spec)) {
                return i;
            }
        }
        return -1;
    }
}
