package io.longkv.tokenizer;

import io.longkv.gguf.GgufMetadata;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}): pre-tokenize, map each word's UTF-8 bytes to
 * GPT-2's byte characters, then merge by the ranks of {@code tokenizer.ggml.merges}.
 */
final class ByteLevelBpeTokenizer extends VocabularyTokenizer {
    private static final System.Logger LOG = System.getLogger(ByteLevelBpeTokenizer.class.getName());
    /** Words repeat a lot in natural text; past this many distinct words the cache starts over. */
    private static final int CACHE_LIMIT = 100_000;

    private final PreTokenizer pre;
    private final MergeTable merges;
    private final int[] byteTokens = new int[256];
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private ByteLevelBpeTokenizer(Vocabulary vocab, PreTokenizer pre, MergeTable merges) {
        super(vocab, ByteLevel::decode);
        this.pre = pre;
        this.merges = merges;
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = vocab.id(String.valueOf(ByteLevel.charOf(b)));
        }
    }

    static ByteLevelBpeTokenizer fromGguf(GgufMetadata md) {
        String preName = md.getString("tokenizer.ggml.pre", null);
        if (preName == null) {
            // llama.cpp does the same for GGUFs converted before the key existed.
            LOG.log(Level.WARNING, "GGUF has no tokenizer.ggml.pre: using the 'default' pre-tokenizer; tokens may differ from the model's training");
            preName = "default";
        }
        PreTokenizer pre = PreTokenizer.forName(preName);
        Vocabulary vocab = new Vocabulary(md, new Vocabulary.Defaults(-1, -1, -1, pre.addBos(), false));
        if (!md.contains("tokenizer.ggml.merges")) {
            throw new IllegalArgumentException("byte-level BPE GGUF has no tokenizer.ggml.merges");
        }
        return new ByteLevelBpeTokenizer(vocab, pre, mergeTable(vocab, md.getStringArray("tokenizer.ggml.merges")));
    }

    /** Merges by id; a merge whose parts or result are not tokens can never produce a token and is left out. */
    private static MergeTable mergeTable(Vocabulary vocab, String[] lines) {
        MergeTable table = new MergeTable(lines.length);
        for (int rank = 0; rank < lines.length; rank++) {
            String line = lines[rank];
            int space = line.indexOf(' ', 1);
            if (space < 0) {
                throw new IllegalArgumentException("tokenizer.ggml.merges[" + rank + "] = '" + line + "' is not 'left right'");
            }
            String left = line.substring(0, space);
            String right = line.substring(space + 1);
            int l = vocab.id(left);
            int r = vocab.id(right);
            int merged = vocab.id(left + right);
            if (l >= 0 && r >= 0 && merged >= 0) {
                table.put(l, r, rank, merged);
            }
        }
        return table;
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        int[] cps = text.codePoints().toArray();
        IntList ends = pre.split(cps);
        int start = 0;
        for (int i = 0; i < ends.size(); i++) {
            int end = ends.get(i);
            out.addAll(encodeWord(new String(cps, start, end - start)));
            start = end;
        }
    }

    private int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        int[] ids = mergeWord(word.getBytes(StandardCharsets.UTF_8));
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(word, ids);
        return ids;
    }

    private int[] mergeWord(byte[] utf8) {
        if (pre.ignoreMerges()) {
            int whole = vocab.id(ByteLevel.encode(utf8));
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        int[] symbols = new int[utf8.length];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = byteTokens[utf8[i] & 0xFF];
        }
        return BpeMerger.merge(symbols, merges);
    }
}
