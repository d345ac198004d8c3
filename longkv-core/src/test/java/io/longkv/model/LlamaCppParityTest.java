package io.longkv.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longkv.engine.Session;
import io.longkv.sampling.Logits;
import io.longkv.sampling.Sampler;
import io.longkv.testing.TestModels;
import java.io.InputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forward pass against llama.cpp on the default model (fixtures written by
 * scripts/reference/make_logit_fixtures.py: f32 KV cache, no flash attention): KL divergence over the
 * reference's top-20 (the rest of the vocabulary as one bucket), top-1 agreement, and the greedy
 * continuation, which may leave llama.cpp's only where its top two logits are within
 * {@link #MAX_TIE_MARGIN}. The forward pass replicates llama.cpp's CPU arithmetic (AVX2 orders), so on
 * such a machine the logits are expected to be identical; the thresholds are issue #3's.
 */
@Tag("model")
class LlamaCppParityTest {
    static final double MIN_TOP1_AGREEMENT = 0.99;
    static final double MAX_MEAN_KL = 0.01;
    static final double MAX_TIE_MARGIN = 0.05;

    @ParameterizedTest
    @ValueSource(strings = {"chat", "frankenstein", "code"})
    void logitsAndGreedyContinuationMatchLlamaCpp(String name) throws Exception {
        JsonNode fixture = fixture(name);
        int[] ids = ints(fixture.get("ids"));
        try (Model model = Model.load(TestModels.defaultModel())) {
            int vocab = model.config().vocabSize();
            Session session = new Session(model, ids.length + 80, 256);
            double[] klSum = new double[1];
            int[] agree = new int[1];
            int[] identical = new int[1];
            session.append(ids, (pos, logits, offset) -> {
                JsonNode topIds = fixture.get("top_ids").get(pos);
                JsonNode topLogits = fixture.get("top_logits").get(pos);
                double refLse = fixture.get("lse").get(pos).asDouble();
                double ourLse = Logits.logSumExp(logits, offset, vocab);
                int ourTop = Logits.argmaxAt(logits, offset, vocab);
                if (ourTop == topIds.get(0).asInt()) {
                    agree[0]++;
                }
                klSum[0] += klOverTop(topIds, topLogits, refLse, logits, offset, ourLse);
                boolean same = true;
                for (int i = 0; i < topIds.size(); i++) {
                    same &= (float) topLogits.get(i).asDouble() == logits[offset + topIds.get(i).asInt()];
                }
                if (same) {
                    identical[0]++;
                }
            }, null);
            double agreement = agree[0] / (double) ids.length;
            double meanKl = klSum[0] / ids.length;
            System.out.printf("%s: %d positions, top-1 agreement %.4f, mean KL %.6f, top-20 logits bit-identical at %d%n",
                    name, ids.length, agreement, meanKl, identical[0]);
            assertTrue(agreement >= MIN_TOP1_AGREEMENT, name + ": top-1 agreement " + agreement);
            assertTrue(meanKl <= MAX_MEAN_KL, name + ": mean KL " + meanKl);

            JsonNode gen = fixture.get("gen");
            int[] expected = ints(gen.get("ids"));
            for (int step = 0; step < expected.length; step++) {
                int ours = Sampler.argmax(session.logits());
                if (ours != expected[step]) {
                    JsonNode top2 = gen.get("top2_ids").get(step);
                    double margin = gen.get("top2_logits").get(step).get(0).asDouble() - gen.get("top2_logits").get(step).get(1).asDouble();
                    System.out.printf("%s: greedy diverges at step %d (llama.cpp's top-2 margin %.4f)%n", name, step, margin);
                    assertEquals(top2.get(1).asInt(), ours, name + ": greedy continuation diverges at step " + step
                            + " to a token that is not llama.cpp's second choice");
                    assertTrue(margin <= MAX_TIE_MARGIN, name + ": greedy continuation diverges at step " + step
                            + " where llama.cpp's top-2 margin is " + margin);
                    return;
                }
                session.append(ours);
            }
            System.out.printf("%s: greedy continuation identical for %d tokens%n", name, expected.length);
        }
    }

    /** KL(reference || ours) over the reference's top tokens plus one bucket for all other tokens. */
    static double klOverTop(JsonNode topIds, JsonNode topLogits, double refLse, float[] logits, int offset, double ourLse) {
        double kl = 0;
        double pRest = 1;
        double qRest = 1;
        for (int i = 0; i < topIds.size(); i++) {
            double p = Math.exp(topLogits.get(i).asDouble() - refLse);
            double q = Math.exp(logits[offset + topIds.get(i).asInt()] - ourLse);
            kl += p * Math.log(p / q);
            pRest -= p;
            qRest -= q;
        }
        if (pRest > 1e-12 && qRest > 1e-12) {
            kl += pRest * Math.log(pRest / qRest);
        }
        return kl;
    }

    static JsonNode fixture(String name) throws Exception {
        try (InputStream in = LlamaCppParityTest.class.getResourceAsStream("/fixtures/logits/smollm2-" + name + ".json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
