package com.mlplatform.logexport.shared.retry;

/**
 * A {@link RetryLoop} gave up: the attempts ran out, or the caller's deadline (or an interrupt) left no time for
 * the next wait. The cause, when there is one, is the last retryable failure.
 */
public final class RetriesExhausted extends RuntimeException {

    private final int attempts;
    private final boolean outOfTime;

    RetriesExhausted(int attempts, boolean outOfTime, RuntimeException lastFailure) {
        super((outOfTime ? "no time left to retry" : "gave up") + " after " + attempts + " attempt(s)", lastFailure);
        this.attempts = attempts;
        this.outOfTime = outOfTime;
    }

    public int attempts() {
        return attempts;
    }

    /** True when the deadline (not the attempt count) ended the retries. */
    public boolean outOfTime() {
        return outOfTime;
    }
}
