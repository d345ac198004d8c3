package io.longkv.bench.speed;

import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.ColdReads;
import io.longkv.kv.KvCache;
import io.longkv.kv.KvMemory;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.tensor.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Prompt processing (pp) and token generation (tg) speed at given cache depths, measured as
 * llama-bench measures them: random tokens, no sampling or tokenization in the timing, one warm-up
 * run, then repetitions reported as mean and standard deviation of tokens per second. Generation tests
 * also report the decode attention's achieved bandwidth: KV bytes it read over the time spent inside it,
 * and, given a {@link ReadBandwidth} yardstick, that bandwidth's share of the machine's read bandwidth
 * measured right after each repetition (on a shared machine the bandwidth drifts between runs, so a
 * yardstick taken once, minutes earlier, can be far from the one the repetition saw).
 */
public final class SpeedBenchmark {
    private final Model model;
    private final Engine engine;
    private final int chunk;
    private final int repetitions;
    private final Random random = new Random(42);
    private ReadBandwidth yardstick;

    /** One benchmark per KV spec, on its own engine with {@code kvMemory} bytes of budget. */
    public SpeedBenchmark(Model model, int chunk, int repetitions, KvSpec kv, long kvMemory) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, got " + repetitions);
        }
        this.model = model;
        this.engine = new Engine(model, kv, kvMemory);
        this.chunk = chunk;
        this.repetitions = repetitions;
    }

    /** Measures {@code yardstick} after each generation repetition, for {@link SpeedResult#attentionShare}. */
    public SpeedBenchmark pairedWith(ReadBandwidth yardstick) {
        this.yardstick = yardstick;
        return this;
    }

    /** Runs pp{promptTokens} and tg{genTokens} (either may be 0 to skip it) at each depth. */
    public List<SpeedResult> run(int promptTokens, int genTokens, int[] depths, Consumer<SpeedResult> onResult) {
        List<SpeedResult> results = new ArrayList<>();
        for (int depth : depths) {
            try (Session session = engine.newSession(contextLength(depth, promptTokens, genTokens), chunk)) {
                session.append(randomTokens(depth));
                results.addAll(runAt(session, promptTokens, genTokens, onResult));
            }
        }
        return results;
    }

    /** The context a session needs for the tests at {@code depth}. */
    public static int contextLength(int depth, int promptTokens, int genTokens) {
        return depth + Math.max(promptTokens, genTokens) + 1;
    }

    /** The engine whose KV method this benchmark measures (for sessions filled elsewhere, see {@link SharedDepthFill}). */
    public Engine engine() {
        return engine;
    }

    /** Runs the tests on a session of this benchmark's engine already holding the depth's tokens. */
    public List<SpeedResult> runAt(Session session, int promptTokens, int genTokens, Consumer<SpeedResult> onResult) {
        List<SpeedResult> results = new ArrayList<>();
        int depth = session.length();
        if (promptTokens > 0) {
            run(session, depth, promptTokens, true); // warm-up
            results.add(report(measure(session, depth, promptTokens, true, new double[repetitions]), "pp" + promptTokens,
                    promptTokens, 0, depth, session, 0, 0, 0, ColdReads.NONE, onResult));
        }
        if (genTokens > 0) {
            run(session, depth, genTokens, false); // warm-up, left out of the counters: it includes the JIT compiling the kernels
            KvCache cache = session.cache();
            long bytes = cache.bytesRead();
            long nanos = cache.attentionNanos();
            ColdReads cold = cache.coldReads();
            double[] shares = new double[repetitions];
            double[] samples = measure(session, depth, genTokens, false, shares);
            long read = cache.bytesRead() - bytes;
            long spent = cache.attentionNanos() - nanos;
            results.add(report(samples, "tg" + genTokens, 0, genTokens, depth, session, read / ((long) repetitions * genTokens),
                    (double) read / spent, median(shares), cache.coldReads().minus(cold), onResult));
        }
        return results;
    }

    private static double median(double[] x) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Tokens per second of each repetition. For generation with a yardstick, {@code shares} gets each
     * repetition's attention bandwidth over the read bandwidth measured right after it (0 otherwise).
     */
    private double[] measure(Session session, int depth, int tokens, boolean prompt, double[] shares) {
        KvCache cache = session.cache();
        double[] samples = new double[repetitions];
        for (int rep = 0; rep < repetitions; rep++) {
            long repBytes = cache.bytesRead();
            long repNanos = cache.attentionNanos();
            samples[rep] = tokens / run(session, depth, tokens, prompt);
            long repSpent = cache.attentionNanos() - repNanos;
            if (!prompt && yardstick != null && repSpent > 0) {
                shares[rep] = (cache.bytesRead() - repBytes) / (repSpent / 1e9) / yardstick.measure();
            }
        }
        return samples;
    }

    /** Seconds to append {@code tokens} random tokens at {@code depth}, as one prompt or one at a time. */
    private double run(Session session, int depth, int tokens, boolean prompt) {
        session.truncate(depth);
        int[] input = randomTokens(tokens);
        long start = System.nanoTime();
        if (prompt) {
            session.append(input);
        } else {
            for (int token : input) {
                session.append(token);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private SpeedResult report(double[] samples, String test, int nPrompt, int nGen, int depth, Session session,
                               long readPerToken, double attentionGbs, double attentionShare, ColdReads coldReads,
                               Consumer<SpeedResult> onResult) {
        double mean = 0;
        for (double s : samples) {
            mean += s / samples.length;
        }
        double variance = 0;
        for (double s : samples) {
            variance += (s - mean) * (s - mean);
        }
        KvMemory memory = session.cache().memory();
        double stddev = samples.length > 1 ? Math.sqrt(variance / (samples.length - 1)) : 0;
        SpeedResult result = new SpeedResult(test, nPrompt, nGen, depth, Parallel.threads(), engine.spec().toString(), mean,
                stddev, samples, memory.total(), memory.hot(), memory.cold(), readPerToken, attentionGbs, attentionShare, coldReads);
        onResult.accept(result);
        return result;
    }

    /** The depth's tokens, as {@link #run} draws them: random, from a fixed seed. */
    public int[] randomTokens(int n) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = random.nextInt(model.config().vocabSize());
        }
        return tokens;
    }
}
