package io.longkv.bench.scbench.gen;

/** The target length cannot hold even the smallest session of a task (its turns, answers and decode limit). */
public final class LengthTooShortException extends IllegalArgumentException {
    LengthTooShortException(String message) {
        super(message);
    }
}
