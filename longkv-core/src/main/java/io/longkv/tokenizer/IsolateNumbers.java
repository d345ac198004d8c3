package io.longkv.tokenizer;

/** The pattern {@code \p{N}} applied as a split: every number character becomes a piece of its own. */
final class IsolateNumbers implements SplitStep {
    @Override
    public void split(int[] cps, int start, int end, IntList ends) {
        int from = start;
        for (int pos = start; pos < end; pos++) {
            if (CodepointClass.isNumber(cps[pos])) {
                if (pos > from) {
                    ends.add(pos);
                }
                ends.add(pos + 1);
                from = pos + 1;
            }
        }
        if (from < end) {
            ends.add(end);
        }
    }
}
