package com.mlplatform.logexport.local;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Time limits for tests that watch asynchronous work (pollers, the worker, a browser), and Awaitility waits with
 * those limits.
 *
 * <p>Every limit is multiplied by one time factor, {@value #FACTOR_NAME} (a system property, e.g.
 * {@code -DTEST_TIME_FACTOR=5} on the Maven command line, or an environment variable), by default
 * {@value #DEFAULT_FACTOR}: CI runs on a loaded 2-core machine where the emulator (moto, under the Python GIL) and
 * other builds compete for the CPU. A wait returns as soon as its condition holds, so a generous limit costs nothing
 * when things are fast; it only decides how long a real failure takes to be reported.
 */
public final class TestTime {

    public static final String FACTOR_NAME = "TEST_TIME_FACTOR";
    public static final double DEFAULT_FACTOR = 3.0;
    private static final double FACTOR = factor();

    private TestTime() {
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

    /**
     * A wait for {@code what} of at most {@code atMost} times the time factor, checking at once and then every
     * 100 ms, in the test's own thread; a timeout names {@code what} and the limit.
     */
    public static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what + " (" + atMost.toSeconds() + " s x " + FACTOR_NAME + " " + FACTOR + ")")
                .atMost(scaled(atMost))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100));
    }
}
