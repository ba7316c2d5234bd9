package com.mlplatform.logexport.worker.failure;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.worker.time.Deadline;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs one AWS call with the error table's retry rules:
 * <ul>
 *   <li>throttling and transient faults: exponential backoff with full jitter (sleep a uniformly random time in
 *   [0, min(cap, base·2^attempt)], as in AWS's "Exponential Backoff And Jitter"), as often as the time budget
 *   allows, then {@link OutOfTime} so the export checkpoints instead of failing;</li>
 *   <li>an expired session token: fresh credentials and one retry.</li>
 * </ul>
 */
public final class Retrier {

    static final Duration BASE = Duration.ofMillis(200);
    static final Duration CAP = Duration.ofSeconds(20);

    private final Deadline deadline;
    private final Runnable refreshCredentials;
    private final RandomGenerator random;
    private final LongConsumer sleeper;
    private final RetryListener listener;

    /** Told about every backoff, for structured logs and tests. */
    public interface RetryListener {
        void backingOff(RetryableFailure failure, int attempt, long sleepMillis);

        RetryListener NONE = (f, a, s) -> { };
    }

    public Retrier(Deadline deadline, Runnable refreshCredentials, RandomGenerator random, LongConsumer sleeper,
                   RetryListener listener) {
        this.deadline = deadline;
        this.refreshCredentials = refreshCredentials;
        this.random = random;
        this.sleeper = sleeper;
        this.listener = listener;
    }

    public static Retrier withDefaults(Deadline deadline, Runnable refreshCredentials, RetryListener listener) {
        return new Retrier(deadline, refreshCredentials, RandomGenerator.getDefault(), Retrier::sleep, listener);
    }

    public Deadline deadline() {
        return deadline;
    }

    public <T> T call(Supplier<T> call) {
        int attempt = 0;
        boolean refreshed = false;
        while (true) {
            try {
                return call.get();
            } catch (ExpiredCredentials e) {
                if (refreshed) {
                    throw new JobFailure(ErrorCode.INTERNAL,
                            "The use case's credentials expired again right after being refreshed.");
                }
                refreshCredentials.run();
                refreshed = true;
            } catch (RetryableFailure e) {
                long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt, 20));
                long sleep = random.nextLong(ceiling + 1);
                if (!deadline.allows(Duration.ofMillis(sleep))) {
                    throw new OutOfTime("out of time while retrying " + e.operation(), e);
                }
                listener.backingOff(e, attempt, sleep);
                sleeper.accept(sleep);
                attempt++;
            }
        }
    }

    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutOfTime("interrupted while backing off", e);
        }
    }
}
