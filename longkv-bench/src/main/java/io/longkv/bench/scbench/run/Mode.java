package io.longkv.bench.scbench.run;

import java.util.List;
import java.util.Locale;

/** SCBench's two shared-context modes. */
public enum Mode {
    /** One session: later turns append the previous gold answer and the next query; decoded tokens are dropped. */
    MULTI_TURN,
    /** The context alone is prefilled (and compressed) once; each query runs on a fork that is then discarded. */
    MULTI_REQUEST;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Mode byLabel(String label) {
        for (Mode m : values()) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + label + "'; modes: multi-turn, multi-request, both");
    }

    /** {@code both}, or one mode's label. */
    public static List<Mode> parse(String text) {
        return text.equals("both") ? List.of(values()) : List.of(byLabel(text));
    }
}
