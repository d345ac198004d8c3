package io.longkv.kv.tailor;

/**
 * The cold tier of a session failed: its file could not be written (disk full), was deleted, or holds data
 * that no longer matches its checksums. The session that owns the file cannot go on; others are unaffected.
 */
public final class ColdTierException extends RuntimeException {
    ColdTierException(String message) {
        super(message);
    }

    ColdTierException(String message, Throwable cause) {
        super(message, cause);
    }
}
