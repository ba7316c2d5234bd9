package com.mlplatform.logexport.shared.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one retry loop of the code base: run an attempt, and while something is left to do, wait (with
 * {@link Backoff}) and run it again, until nothing is left, the attempts run out, or the next wait would pass the
 * caller's deadline.
 *
 * <p>Two shapes share it: a single call that either succeeds or throws ({@link #call}), and a batch call that
 * accepts some entries and hands back the rest ({@link #untilDone}; BatchWriteItem's UnprocessedItems,
 * SendMessageBatch's failed entries, a cancelled transaction's retryable items).
 */
public final class RetryLoop {

    /** Told before every wait; for structured logs and tests. */
    @FunctionalInterface
    public interface Listener {
        void backingOff(RuntimeException cause, int retry, Duration delay);

        Listener NONE = (cause, retry, delay) -> { };
    }

    /** Whether the caller still has time for a wait of the given length (and the call after it). */
    @FunctionalInterface
    public interface Deadline {
        boolean allows(Duration wait);

        Deadline NONE = wait -> true;
    }

    private final Backoff backoff;
    private final Sleeper sleeper;
    private final Deadline deadline;
    private final Listener listener;

    public RetryLoop(Backoff backoff, Sleeper sleeper, Deadline deadline, Listener listener) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public RetryLoop(Backoff backoff, Sleeper sleeper) {
        this(backoff, sleeper, Deadline.NONE, Listener.NONE);
    }

    public Backoff backoff() {
        return backoff;
    }

    /**
     * Calls {@code call} until it returns, retrying the failures {@code retryable} accepts.
     *
     * @throws RetriesExhausted when a retryable failure is left after the last permitted attempt (its cause is that
     *                          failure); a failure {@code retryable} rejects is thrown as it is
     */
    public <T> T call(Supplier<T> call, Predicate<? super RuntimeException> retryable) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!retryable.test(e)) {
                    throw e;
                }
                pauseOrGiveUp(attempt, e);
            }
        }
    }

    /**
     * Runs {@code attempt} on {@code items}, then on whatever it hands back as not done, until it hands back
     * nothing. Returns what is still not done when the attempts or the time run out (empty when all is done).
     * An exception from {@code attempt} ends the loop and is the caller's to handle.
     */
    public <T> List<T> untilDone(List<T> items, Function<List<T>, List<T>> attempt) {
        List<T> pending = List.copyOf(items);
        for (int n = 1; ; n++) {
            List<T> rest = attempt.apply(pending);
            if (rest.isEmpty()) {
                return List.of();
            }
            try {
                pauseOrGiveUp(n, null);
            } catch (RetriesExhausted e) {
                return List.copyOf(rest);
            }
            pending = List.copyOf(rest);
        }
    }

    private void pauseOrGiveUp(int attempt, RuntimeException cause) {
        if (!backoff.allowsRetryAfter(attempt)) {
            throw new RetriesExhausted(attempt, false, cause);
        }
        Duration delay = backoff.delayBefore(attempt);
        if (!deadline.allows(delay)) {
            throw new RetriesExhausted(attempt, true, cause);
        }
        listener.backingOff(cause, attempt, delay);
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriesExhausted(attempt, true, cause);
        }
    }
}
