package io.longkv.kv;

/** A KV spec that cannot be used: unknown method or parameter, value out of range, or incompatible with the model. */
public final class KvSpecException extends IllegalArgumentException {
    public KvSpecException(String message) {
        super(message);
    }
}
