package io.longkv.tokenizer;

import io.longkv.gguf.GgufMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE ({@code tokenizer.ggml.model = llama}, Llama 2 / Mistral): spaces become ▁, then the
 * adjacent pair whose concatenation is the highest-scoring token is merged until none is left; text that
 * forms no token falls back to byte tokens {@code <0xNN>}.
 */
final class SentencePieceTokenizer extends VocabularyTokenizer {
    private static final char SPACE = '\u2581';

    /** A candidate merge of two adjacent symbols; {@code length} detects that either side changed since. */
    private record Bigram(float score, int left, int right, int length) {
    }

    private static final Comparator<Bigram> BEST_FIRST =
            Comparator.comparingDouble((Bigram b) -> -b.score()).thenComparingInt(Bigram::left);

    private final int[] byteTokens = new int[256];

    private SentencePieceTokenizer(Vocabulary vocab) {
        super(vocab, text -> text.replace(SPACE, ' ').getBytes(StandardCharsets.UTF_8));
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            byteTokens[b] = id >= 0 || b >= 0x80 ? id : vocab.id(String.valueOf((char) b));
        }
    }

    static SentencePieceTokenizer fromGguf(GgufMetadata md) {
        return new SentencePieceTokenizer(new Vocabulary(md, new Vocabulary.Defaults(1, 2, 0, true, true)));
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        String s = (vocab.addSpacePrefix && afterSpecial ? " " + text : text).replace(' ', SPACE);
        // Symbols are code points, as char offsets into s, in a linked list.
        int n = s.codePointCount(0, s.length());
        int[] start = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, pos = 0; i < n; i++) {
            start[i] = pos;
            length[i] = Character.charCount(s.codePointAt(pos));
            pos += length[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>(Math.max(1, n), BEST_FIRST);
        for (int i = 1; i < n; i++) {
            offer(s, i - 1, i, start, length, queue);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            if (length[b.left()] == 0 || length[b.right()] == 0 || length[b.left()] + length[b.right()] != b.length()) {
                continue;
            }
            length[b.left()] += length[b.right()];
            length[b.right()] = 0;
            next[b.left()] = next[b.right()];
            if (next[b.right()] >= 0) {
                prev[next[b.right()]] = b.left();
            }
            offer(s, prev[b.left()], b.left(), start, length, queue);
            offer(s, b.left(), next[b.left()], start, length, queue);
        }
        // Only pairs that form a token are merged, so a symbol that is no token is a single code point.
        for (int i = 0; i >= 0 && n > 0; i = next[i]) {
            String symbol = s.substring(start[i], start[i] + length[i]);
            int id = vocab.id(symbol);
            if (id >= 0) {
                out.add(id);
            } else {
                for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                    out.add(byteToken(b & 0xFF));
                }
            }
        }
    }

    private void offer(String s, int left, int right, int[] start, int[] length,
                       PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        String text = s.substring(start[left], start[right] + length[right]);
        int id = vocab.id(text);
        if (id >= 0) {
            queue.add(new Bigram(vocab.scores[id], left, right, text.length()));
        }
    }

    /** The byte token, else the unknown token (llama.cpp aborts there; SentencePiece without byte fallback emits unk). */
    private int byteToken(int b) {
        return byteTokens[b] >= 0 ? byteTokens[b] : vocab.unk;
    }
}
