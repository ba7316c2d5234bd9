package com.mlplatform.logexport.api.accept;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): retries of many
 * parallel callers spread out instead of hitting a throttled table or queue in lock step.
 *
 * @param maxAttempts calls in total, the first one included
 */
public record Backoff(Duration base, Duration cap, int maxAttempts, Sleeper sleeper) {

    /** Waits; a test passes one that records the delays instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Up to 8 attempts, at most ~3.5 s of waiting in all: well inside API Gateway's 30 s. */
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(25), Duration.ofMillis(800), 8, d -> Thread.sleep(d.toMillis()));
    }

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Sleeps before retry number {@code retry} (1 for the first retry). False when interrupted. */
    public boolean pause(int retry) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(retry, 20));
        try {
            sleeper.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1)));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
