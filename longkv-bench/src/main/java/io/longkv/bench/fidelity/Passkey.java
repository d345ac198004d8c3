package io.longkv.bench.fidelity;

import io.longkv.engine.Session;
import io.longkv.sampling.Logits;
import io.longkv.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Random;

/**
 * Passkey retrieval: an instruction, a haystack of corpus text with "The pass key is NNNNN. Remember it.
 * NNNNN is the pass key." inserted at a depth, then "What is the pass key? The pass key is" — plain text, no
 * chat template: the prompt ends mid-sentence so even a small model only has to complete it (the full
 * cache's accuracy in the report says how well that works). The whole prompt is one prefill, so a method
 * compresses at its end, question included (the SnapKV protocol), and the first answer token comes from
 * that dense prefill; the rest is decoded greedily through the compressed cache. An answer counts when it
 * holds the digits.
 */
final class Passkey {
    private static final String INTRO = "There is an important pass key hidden inside a lot of irrelevant text. "
            + "Find it and memorize it. I will quiz you about the pass key.\n\n";
    private static final String QUESTION = "\n\nWhat is the pass key? The pass key is";

    /** A prompt of exactly {@code length} tokens and its passkey. */
    record Prompt(int[] tokens, String passkey) {
    }

    private Passkey() {
    }

    /** The prompt of {@code length} tokens with the passkey at {@code depth} (0 = start, 1 = end of the haystack). */
    static Prompt build(Tokenizer tokenizer, int[] corpus, int length, double depth, long seed) {
        Random random = new Random(seed * 1_000_003L + length);
        String passkey = Integer.toString(10000 + random.nextInt(90000));
        int[] bos = tokenizer.addBos() ? new int[] {tokenizer.bos()} : new int[0];
        int[] intro = tokenizer.encode(INTRO, false);
        int[] needle = tokenizer.encode(" The pass key is " + passkey + ". Remember it. " + passkey + " is the pass key. ", false);
        int[] question = tokenizer.encode(QUESTION, false);
        int hay = length - bos.length - intro.length - needle.length - question.length;
        if (hay < 1) {
            throw new IllegalArgumentException("passkey length " + length + " leaves no room for a haystack");
        }
        if (hay > corpus.length) {
            throw new IllegalArgumentException("the corpus has " + corpus.length + " tokens, fewer than a haystack of " + hay);
        }
        int offset = random.nextInt(corpus.length - hay + 1);
        int at = (int) Math.round(depth * hay);
        int[] prompt = new int[length];
        int n = 0;
        n = put(prompt, n, bos, 0, bos.length);
        n = put(prompt, n, intro, 0, intro.length);
        n = put(prompt, n, corpus, offset, at);
        n = put(prompt, n, needle, 0, needle.length);
        n = put(prompt, n, corpus, offset + at, hay - at);
        put(prompt, n, question, 0, question.length);
        return new Prompt(prompt, passkey);
    }

    private static int put(int[] dst, int at, int[] src, int from, int count) {
        System.arraycopy(src, from, dst, at, count);
        return at + count;
    }

    /** Prefills the prompt and decodes greedily; whether the answer holds the passkey. */
    static boolean answer(Session session, Prompt prompt, int answerTokens) {
        Tokenizer tokenizer = session.model().tokenizer();
        int vocab = session.model().config().vocabSize();
        session.append(prompt.tokens());
        int[] answer = new int[answerTokens];
        int n = 0;
        while (n < answerTokens) {
            int token = Logits.argmaxAt(session.logits(), 0, vocab);
            if (tokenizer.isEndOfGeneration(token)) {
                break;
            }
            answer[n++] = token;
            if (n < answerTokens) {
                session.append(token);
            }
        }
        return tokenizer.decode(Arrays.copyOf(answer, n)).contains(prompt.passkey());
    }
}
