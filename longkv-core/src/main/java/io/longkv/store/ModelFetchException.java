package io.longkv.store;

/** A model could not be fetched or verified; the message is one line meant for the user. */
public final class ModelFetchException extends RuntimeException {
    public ModelFetchException(String message) {
        super(message);
    }

    public ModelFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
