package io.longkv.tokenizer;

/**
 * The code point classes the pre-tokenizers test, as llama.cpp defines them: letters are \p{L}, numbers
 * \p{N}, whitespace is the Unicode White_Space property, and everything else in the piece is OTHER.
 */
enum CodepointClass {
    /** Past the end of the piece being split. */
    NONE, LETTER, NUMBER, WHITESPACE, OTHER;

    /** The class of {@code cps[pos]}, or NONE outside {@code [start, end)}. */
    static CodepointClass at(int[] cps, int pos, int end) {
        return pos < end ? of(cps[pos]) : NONE;
    }

    static CodepointClass of(int cp) {
        if (isWhitespace(cp)) {
            return WHITESPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    static boolean isNumber(int cp) {
        return of(cp) == NUMBER;
    }

    /** White_Space from PropList.txt; unlike {@link Character#isWhitespace} it includes U+0085, U+00A0 and U+202F. */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }
}
