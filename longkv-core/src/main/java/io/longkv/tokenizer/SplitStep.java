package io.longkv.tokenizer;

/** One stage of a pre-tokenizer: cuts a piece of text, given as code points, into smaller pieces. */
interface SplitStep {
    /** Appends to {@code ends} the end offset of every non-empty piece that {@code cps[start, end)} splits into. */
    void split(int[] cps, int start, int end, IntList ends);

    /** Length of an English contraction ('s 't 'm 'd 're 've 'll) at {@code pos}, or 0. */
    static int contraction(int[] cps, int pos, int end, boolean ignoreCase) {
        if (cps[pos] != '\'' || pos + 1 >= end) {
            return 0;
        }
        int a = ignoreCase ? Character.toLowerCase(cps[pos + 1]) : cps[pos + 1];
        if (a == 's' || a == 't' || a == 'm' || a == 'd') {
            return 2;
        }
        if (pos + 2 >= end) {
            return 0;
        }
        int b = ignoreCase ? Character.toLowerCase(cps[pos + 2]) : cps[pos + 2];
        return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') ? 3 : 0;
    }
}
