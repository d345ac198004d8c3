package io.longkv.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.function.Function;

/** What every GGUF tokenizer shares: the vocabulary, special-token matching and decoding. */
abstract sealed class VocabularyTokenizer implements Tokenizer permits ByteLevelBpeTokenizer, SentencePieceTokenizer {
    final Vocabulary vocab;
    private final SpecialTokenSplitter specials;
    private final byte[][] pieces;

    /** @param normalPiece the bytes the text of a NORMAL token stands for */
    VocabularyTokenizer(Vocabulary vocab, Function<String, byte[]> normalPiece) {
        this.vocab = vocab;
        this.specials = new SpecialTokenSplitter(vocab);
        this.pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) {
            String text = vocab.texts[id];
            pieces[id] = switch (vocab.types[id]) {
                case CONTROL, USER_DEFINED, UNKNOWN -> text.getBytes(StandardCharsets.UTF_8);
                case NORMAL -> normalPiece.apply(text);
                case BYTE -> new byte[] {(byte) byteValue(text)};
                case UNUSED, UNDEFINED -> new byte[0]; // llama.cpp prints nothing for them
            };
        }
    }

    /** The value of a byte token such as {@code <0x0A>}. */
    static int byteValue(String text) {
        if (!text.matches("<0x[0-9A-Fa-f]{2}>")) {
            throw new IllegalArgumentException("byte token '" + text + "' is not of the form <0xNN>");
        }
        return Integer.parseInt(text.substring(3, 5), 16);
    }

    /**
     * Appends the ids of a stretch of text that holds no special token.
     *
     * @param afterSpecial the stretch starts the input or follows a special token
     */
    abstract void encodeText(String text, boolean afterSpecial, IntList out);

    @Override
    public int[] encode(String text, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        boolean afterSpecial = true;
        for (SpecialTokenSplitter.Fragment f : specials.split(text, parseSpecial)) {
            if (f.isText()) {
                encodeText(text.substring(f.start(), f.end()), afterSpecial, out);
            } else {
                out.add(f.token());
            }
            afterSpecial = !f.isText();
        }
        return out.toArray();
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int i = 0; i < ids.length; i++) {
            byte[] piece = pieces[vocab.checkId(ids[i])];
            // llama.cpp drops the space add_space_prefix put before the first token
            int skip = i == 0 && vocab.addSpacePrefix && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            bytes.write(piece, skip, piece.length - skip);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this::tokenBytes, vocab.addSpacePrefix);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return pieces[vocab.checkId(id)].clone();
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public String tokenText(int id) {
        return vocab.texts[vocab.checkId(id)];
    }

    @Override
    public TokenType tokenType(int id) {
        return vocab.type(id);
    }

    @Override
    public OptionalInt specialToken(String text) {
        int id = vocab.id(text);
        return id >= 0 && vocab.types[id].isSpecial() ? OptionalInt.of(id) : OptionalInt.empty();
    }

    @Override
    public int bos() {
        return vocab.bos;
    }

    @Override
    public int eos() {
        return vocab.eos;
    }

    @Override
    public int eot() {
        return vocab.eot;
    }

    @Override
    public boolean addBos() {
        return vocab.addBos;
    }

    @Override
    public int[] endOfGenerationTokens() {
        return vocab.endOfGeneration.clone();
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return Arrays.binarySearch(vocab.endOfGeneration, id) >= 0;
    }
}
