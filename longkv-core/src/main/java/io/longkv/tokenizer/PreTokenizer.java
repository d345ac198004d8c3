package io.longkv.tokenizer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits text into the words BPE merges within, as selected by {@code tokenizer.ggml.pre}. Each step
 * re-splits every piece of the previous one, as llama.cpp chains its regexes.
 *
 * @param ignoreMerges a word that is itself a token is taken whole (Llama 3 family)
 * @param addBos       the default of {@code tokenizer.ggml.add_bos_token} for this family
 */
record PreTokenizer(String name, List<SplitStep> steps, boolean ignoreMerges, boolean addBos) {
    private static final Map<String, PreTokenizer> BY_NAME = new TreeMap<>();

    static {
        SplitStep gpt2 = new Gpt2Split();
        register(new PreTokenizer("default", List.of(new RegexSplit("[\\p{P}$+<=>^~|]+"), gpt2,
                new RegexSplit("\\p{N}+"), new RegexSplit("[0-9][0-9][0-9]")), false, false));
        register(new PreTokenizer("gpt-2", List.of(gpt2), false, false), "gpt2", "phi-2", "mpt", "olmo");
        register(new PreTokenizer("smollm", List.of(new IsolateNumbers(), gpt2), false, false),
                "starcoder", "refact", "command-r", "codeshell");
        register(new PreTokenizer("llama3", List.of(new Llama3Split(3)), true, true),
                "llama-bpe", "llama-v3", "falcon3", "pixtral");
        register(new PreTokenizer("dbrx", List.of(new Llama3Split(3)), false, false), "smaug-bpe");
        register(new PreTokenizer("qwen2", List.of(new Llama3Split(1)), false, false),
                "deepseek-r1-qwen", "megrez", "stablelm2");
    }

    private static void register(PreTokenizer pre, String... aliases) {
        BY_NAME.put(pre.name, pre);
        for (String alias : aliases) {
            BY_NAME.put(alias, pre);
        }
    }

    /** @throws IllegalArgumentException for a name not implemented here, listing the supported ones */
    static PreTokenizer forName(String name) {
        PreTokenizer pre = BY_NAME.get(name);
        if (pre == null) {
            throw new IllegalArgumentException("unsupported tokenizer.ggml.pre '" + name + "' (supported: "
                    + String.join(", ", BY_NAME.keySet()) + ")");
        }
        return pre;
    }

    /** The piece end offsets (in code points) of {@code cps}. */
    IntList split(int[] cps) {
        IntList ends = new IntList();
        if (cps.length > 0) {
            ends.add(cps.length);
        }
        for (SplitStep step : steps) {
            IntList finer = new IntList(ends.size() * 2 + 4);
            int start = 0;
            for (int i = 0; i < ends.size(); i++) {
                step.split(cps, start, ends.get(i), finer);
                start = ends.get(i);
            }
            ends = finer;
        }
        return ends;
    }
}
