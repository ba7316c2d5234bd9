package com.mlplatform.logexport.worker.failure;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.retry.Backoff;
import com.mlplatform.logexport.shared.retry.RetriesExhausted;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import com.mlplatform.logexport.shared.retry.Sleeper;
import com.mlplatform.logexport.worker.time.Deadline;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs one AWS call with the error table's retry rules, on the shared {@link RetryLoop}:
 * <ul>
 *   <li>throttling and transient faults ({@link RetryableFailure}): full-jitter backoff ({@link Backoff}), as often
 *   as the deadline allows, then {@link OutOfTime} so the export checkpoints instead of failing;</li>
 *   <li>an expired session token: fresh credentials and one retry; expired again means INTERNAL.</li>
 * </ul>
 */
public final class Retrier {

    static final Duration BASE = Duration.ofMillis(200);
    static final Duration CAP = Duration.ofSeconds(20);
    /** No attempt limit: only the deadline ends the retries. */
    static final Backoff BACKOFF = new Backoff(BASE, CAP, Backoff.UNLIMITED);

    private final Deadline deadline;
    private final Runnable refreshCredentials;
    private final RetryLoop loop;

    /** Told about every backoff, for structured logs and tests; {@code attempt} counts from 0. */
    public interface RetryListener {
        void backingOff(RetryableFailure failure, int attempt, long sleepMillis);

        RetryListener NONE = (f, a, s) -> { };
    }

    public Retrier(Deadline deadline, Runnable refreshCredentials, Sleeper sleeper, RetryListener listener) {
        this.deadline = deadline;
        this.refreshCredentials = refreshCredentials;
        this.loop = new RetryLoop(BACKOFF, sleeper, deadline::allows, (cause, retry, delay) ->
                listener.backingOff((RetryableFailure) cause, retry - 1, delay.toMillis()));
    }

    public static Retrier withDefaults(Deadline deadline, Runnable refreshCredentials, RetryListener listener) {
        return new Retrier(deadline, refreshCredentials, Sleeper.THREAD, listener);
    }

    public Deadline deadline() {
        return deadline;
    }

    public <T> T call(Supplier<T> call) {
        AtomicBoolean refreshed = new AtomicBoolean();
        try {
            return loop.call(() -> refreshingOnce(call, refreshed), e -> e instanceof RetryableFailure);
        } catch (RetriesExhausted e) {
            String operation = e.getCause() instanceof RetryableFailure f ? f.operation() : "a call";
            throw new OutOfTime("out of time while retrying " + operation, e.getCause());
        }
    }

    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** One attempt; an expired token gets fresh credentials and an immediate retry, once per {@link #call}. */
    private <T> T refreshingOnce(Supplier<T> call, AtomicBoolean refreshed) {
        while (true) {
            try {
                return call.get();
            } catch (ExpiredCredentials e) {
                if (!refreshed.compareAndSet(false, true)) {
                    throw new JobFailure(ErrorCode.INTERNAL,
                            "The use case's credentials expired again right after being refreshed.");
                }
                refreshCredentials.run();
            }
        }
    }
}
