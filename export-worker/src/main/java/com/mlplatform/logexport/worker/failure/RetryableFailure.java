package com.mlplatform.logexport.worker.failure;

/**
 * A call that may succeed if repeated later: throttling, a 5xx, a dropped connection. The SDK has already retried
 * it a few times; the {@link Retrier} keeps going with full-jitter backoff while the invocation has time, then the
 * export checkpoints and continues in a fresh invocation. Never a job failure on its own.
 */
public final class RetryableFailure extends RuntimeException {

    public enum Kind { THROTTLED, SERVER_ERROR, NETWORK }

    private final Kind kind;
    private final String operation;

    public RetryableFailure(Kind kind, String operation, Throwable cause) {
        super(kind + " on " + operation, cause, false, false);
        this.kind = kind;
        this.operation = operation;
    }

    public Kind kind() {
        return kind;
    }

    public String operation() {
        return operation;
    }
}
