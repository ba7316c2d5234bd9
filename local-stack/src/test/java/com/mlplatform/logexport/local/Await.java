package com.mlplatform.logexport.local;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition in tests that watch asynchronous work (pollers, the worker, a browser).
 *
 * <p>Every limit is multiplied by one time factor, {@value #FACTOR_NAME} (a system property, e.g.
 * {@code -DTEST_TIME_FACTOR=5} on the Maven command line, or an environment variable), by default
 * {@value #DEFAULT_FACTOR}: CI runs on a loaded 2-core machine where the emulator (moto, under the Python GIL) and
 * other builds compete for the CPU. A wait returns as soon as its condition holds, so a generous limit costs nothing
 * when things are fast; it only decides how long a real failure takes to be reported.
 */
public final class Await {

    public static final String FACTOR_NAME = "TEST_TIME_FACTOR";
    public static final double DEFAULT_FACTOR = 3.0;
    private static final double FACTOR = factor();

    private Await() {
    }

    /** The time factor of this run (at least 1). */
    public static double factor() {
        String raw = System.getProperty(FACTOR_NAME);
        if (raw == null || raw.isBlank()) {
            raw = System.getenv(FACTOR_NAME);
        }
        if (raw == null || raw.isBlank()) {
            return DEFAULT_FACTOR;
        }
        try {
            double f = Double.parseDouble(raw.trim());
            if (!(f >= 1.0) || Double.isInfinite(f)) {
                throw new IllegalArgumentException(FACTOR_NAME + " must be a number >= 1, was " + raw);
            }
            return f;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(FACTOR_NAME + " must be a number >= 1, was " + raw, e);
        }
    }

    /** {@code base} times the time factor. */
    public static Duration scaled(Duration base) {
        return Duration.ofMillis((long) Math.ceil(base.toMillis() * FACTOR));
    }

    /** {@code base} times the time factor, rounded up to whole seconds (for SQS attributes). */
    public static Duration scaledSeconds(Duration base) {
        return Duration.ofSeconds((long) Math.ceil(base.toMillis() * FACTOR / 1000.0));
    }

    /** Waits up to {@code timeout} times the time factor for {@code condition}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Duration limit = scaled(timeout);
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s (" + timeout.toSeconds()
                        + " s x " + FACTOR_NAME + " " + FACTOR + ") waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
