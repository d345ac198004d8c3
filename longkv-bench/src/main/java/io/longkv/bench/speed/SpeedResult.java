package io.longkv.bench.speed;

import io.longkv.kv.ColdReads;

/**
 * One row of a speed run, named as llama-bench names its JSON fields so both can be compared.
 *
 * @param nPrompt prompt tokens processed per repetition (0 for a generation test)
 * @param nGen tokens generated per repetition (0 for a prompt test)
 * @param nDepth tokens already in the cache when the test starts
 * @param samplesTs tokens per second of each repetition
 * @param kvBytes KV cache bytes held at the end of the test (both tiers)
 * @param kvHotBytes of those, bytes in memory
 * @param kvColdBytes of those, bytes in a cold tier on disk
 * @param kvReadPerToken KV bytes attention read per generated token (generation tests; 0 otherwise)
 * @param attentionGbs KV bytes read / time inside attention, in GB/s (generation tests; 0 otherwise)
 * @param attentionShare median over repetitions of that bandwidth over the machine's read bandwidth measured
 *     right after the repetition (generation tests of a benchmark paired with a yardstick; 0 otherwise)
 * @param coldReads cold-tier traffic during the generation test's repetitions (none for other methods and tests)
 */
public record SpeedResult(String test, int nPrompt, int nGen, int nDepth, int nThreads, String kv,
                          double avgTs, double stddevTs, double[] samplesTs, long kvBytes, long kvHotBytes,
                          long kvColdBytes, long kvReadPerToken, double attentionGbs, double attentionShare,
                          ColdReads coldReads) {

    /** llama-bench's test name: pp512, tg128, with "@ dN" when there is a depth. */
    public String label() {
        return test + (nDepth > 0 ? " @ d" + nDepth : "");
    }
}
