package io.longkv.tokenizer;

import io.longkv.gguf.GgufMetadata;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The token table of a GGUF model (texts, types, scores) and its special ids, read the way
 * llama.cpp reads them, including its detection of end-of-generation tokens by name: many GGUFs
 * only declare {@code eos}, while chat models stop on {@code <|im_end|>}, {@code <|eot_id|>}, ...
 */
final class Vocabulary {
    private static final System.Logger LOG = System.getLogger(Vocabulary.class.getName());

    /** Candidates for the end-of-turn token when {@code tokenizer.ggml.eot_token_id} is absent, in preference order. */
    private static final List<String> EOT_NAMES = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>", "<end_of_utterance>");
    /** Tokens that end generation wherever they appear in the vocabulary. */
    private static final List<String> EOG_NAMES = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>", "<｜end▁of▁sentence｜>");
    /** Fill-in-the-middle pad / repo / file-separator tokens by metadata key, else by name: llama.cpp stops on them too. */
    private static final Map<String, List<String>> FIM_STOP_NAMES = Map.of(
            "fim_pad", List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>"),
            "fim_rep", List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"),
            "fim_sep", List.of("<|file_sep|>"));

    final String[] texts;
    final TokenType[] types;
    final float[] scores;
    final Map<String, Integer> ids;
    final int bos;
    final int eos;
    final int eot;
    final int eom;
    final int unk;
    final int[] endOfGeneration;
    final boolean addBos;
    final boolean addSpacePrefix;

    /** What a tokenizer family assumes when the GGUF does not say (llama.cpp's defaults). */
    record Defaults(int bos, int eos, int unk, boolean addBos, boolean addSpacePrefix) {
    }

    Vocabulary(GgufMetadata md, Defaults defaults) {
        texts = md.getStringArray("tokenizer.ggml.tokens");
        if (texts.length == 0) {
            throw new IllegalArgumentException("tokenizer.ggml.tokens is empty");
        }
        types = readTypes(md, texts.length);
        scores = md.contains("tokenizer.ggml.scores") ? md.getFloatArray("tokenizer.ggml.scores") : new float[texts.length];
        if (scores.length != texts.length) {
            throw new IllegalArgumentException("tokenizer.ggml.scores has " + scores.length + " entries for " + texts.length + " tokens");
        }
        ids = new HashMap<>(texts.length * 2);
        for (int id = 0; id < texts.length; id++) {
            Integer previous = ids.putIfAbsent(texts[id], id);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate token '" + texts[id] + "' has ids " + previous + " and " + id);
            }
        }
        bos = tokenId(md, "bos", defaults.bos());
        eos = tokenId(md, "eos", defaults.eos());
        unk = tokenId(md, "unknown", defaults.unk());
        eot = tokenId(md, "eot", firstPresent(EOT_NAMES));
        eom = tokenId(md, "eom", firstPresent(List.of("<|eom_id|>")));
        endOfGeneration = endOfGeneration(md);
        addBos = md.getBoolean("tokenizer.ggml.add_bos_token", defaults.addBos());
        addSpacePrefix = md.getBoolean("tokenizer.ggml.add_space_prefix", defaults.addSpacePrefix());
        if (addBos && bos < 0) {
            throw new IllegalArgumentException("tokenizer.ggml.add_bos_token is true but tokenizer.ggml.bos_token_id is not set");
        }
    }

    int size() {
        return texts.length;
    }

    /** The id of an exact token text, or -1. */
    int id(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    TokenType type(int id) {
        return types[checkId(id)];
    }

    int checkId(int id) {
        if (id < 0 || id >= texts.length) {
            throw new IllegalArgumentException("token id " + id + " out of range [0, " + texts.length + ")");
        }
        return id;
    }

    private static TokenType[] readTypes(GgufMetadata md, int n) {
        TokenType[] types = new TokenType[n];
        if (!md.contains("tokenizer.ggml.token_type")) {
            Arrays.fill(types, TokenType.NORMAL);
            return types;
        }
        int[] codes = md.getIntArray("tokenizer.ggml.token_type");
        if (codes.length != n) {
            throw new IllegalArgumentException("tokenizer.ggml.token_type has " + codes.length + " entries for " + n + " tokens");
        }
        for (int i = 0; i < n; i++) {
            types[i] = TokenType.fromCode(codes[i]);
        }
        return types;
    }

    /**
     * {@code tokenizer.ggml.<name>_token_id}, else the fallback; like llama.cpp, an out-of-range id is ignored
     * and a default outside a small vocabulary means none.
     */
    private int tokenId(GgufMetadata md, String name, int defaultId) {
        String key = "tokenizer.ggml." + name + "_token_id";
        int fallback = defaultId < texts.length ? defaultId : -1;
        if (!md.contains(key)) {
            return fallback;
        }
        long id = md.getLong(key);
        if (id < 0 || id >= texts.length) {
            LOG.log(Level.WARNING, "{0} = {1} is out of the vocabulary, using {2}", key, id, fallback);
            return fallback;
        }
        return (int) id;
    }

    private int firstPresent(List<String> names) {
        for (String name : names) {
            Integer id = ids.get(name);
            if (id != null) {
                return id;
            }
        }
        return -1;
    }

    /**
     * Tokens that stop generation: eos, eot, eom, the fill-in-the-middle stops, and every token named like an
     * end of turn. A token recognised by its name is forced to CONTROL so it is matched as special and never
     * shown as plain text.
     */
    private int[] endOfGeneration(GgufMetadata md) {
        TreeSet<Integer> stop = new TreeSet<>();
        for (String name : EOG_NAMES) {
            addNamed(stop, ids.get(name));
        }
        for (int id : new int[] {eos, eot, eom}) {
            if (id >= 0) {
                stop.add(id);
            }
        }
        FIM_STOP_NAMES.forEach((key, names) -> {
            int id = tokenId(md, key, -1);
            if (id >= 0) {
                stop.add(id);
            } else {
                names.stream().map(ids::get).filter(Objects::nonNull).findFirst().ifPresent(named -> addNamed(stop, named));
            }
        });
        return stop.stream().mapToInt(Integer::intValue).toArray();
    }

    private void addNamed(TreeSet<Integer> stop, Integer id) {
        if (id != null) {
            stop.add(id);
            types[id] = TokenType.CONTROL;
        }
    }
}
