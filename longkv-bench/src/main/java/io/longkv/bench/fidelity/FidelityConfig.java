package io.longkv.bench.fidelity;

import java.nio.file.Path;
import java.util.List;

/**
 * What a fidelity run measures.
 *
 * @param length tokens of text for the teacher-forced part: a prompt of {@code length - scored}, then {@code scored} decode steps
 * @param passkeyLengths prompt lengths of the passkey sweep (empty skips it)
 * @param depths passkey depths per length, spread evenly from the start to the end of the haystack
 * @param seeds passkeys (and haystack offsets) per length and depth
 * @param answerTokens greedy tokens decoded after the passkey question
 * @param chunk prefill chunk size
 * @param corpus directory of {@code *.txt} books
 */
public record FidelityConfig(int length, int scored, List<Integer> passkeyLengths, int depths, int seeds, int answerTokens,
                             int chunk, Path corpus) {
    public FidelityConfig {
        if (scored < 1 || scored >= length) {
            throw new IllegalArgumentException("--scored must be in [1, length), got " + scored + " with length " + length);
        }
        if (depths < 1 || seeds < 1) {
            throw new IllegalArgumentException("--depths and --seeds must be at least 1");
        }
        passkeyLengths = List.copyOf(passkeyLengths);
    }
}
