package io.longkv.bench.scbench.gen;

import io.longkv.bench.scbench.ScTask;
import io.longkv.bench.scbench.data.ScSession;
import java.util.Random;

/** Builds sessions of one task whose size grows with a count of units (pairs, lines, functions, ...). */
public interface SessionGenerator {
    ScTask task();

    /** A session of {@code units} units; the same random state and units always give the same session. */
    ScSession generate(String id, Random random, int units);

    /** A first guess of the units that fill {@code tokens} tokens; {@link TokenSizer} corrects it. */
    int guessUnits(int tokens);
}
