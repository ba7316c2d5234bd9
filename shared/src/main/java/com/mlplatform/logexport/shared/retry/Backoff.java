package com.mlplatform.logexport.shared.retry;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Exponential backoff with full jitter: before retry {@code n} wait a uniformly random time in
 * {@code [0, min(cap, base * 2^(n-1)))}, so the retries of many parallel callers spread out instead of hitting a
 * throttled table, queue or API in lock step. The delays come from the SDK's own {@link BackoffStrategy}, the one its
 * standard retry mode uses, so our retries and the SDK's behave alike.
 *
 * @param maxAttempts calls in total, the first one included ({@link #UNLIMITED}: only a deadline stops the retries)
 * @see <a href="https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/">Exponential Backoff And Jitter</a>
 * @see <a href="https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html">AWS SDKs: retry behavior</a>
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) {

    public static final int UNLIMITED = Integer.MAX_VALUE;

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base " + base + ", cap " + cap);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The delay before retry number {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1");
        }
        // The SDK's attempt 1 is the first call (no delay); attempt n >= 2 draws from [0, base * 2^(n-2)).
        return strategy().computeDelay(Math.min(retry, 30) + 1);
    }

    /** Whether a call numbered {@code attempt} (1 for the first call) may be followed by another one. */
    public boolean allowsRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    private BackoffStrategy strategy() {
        return BackoffStrategy.exponentialDelay(base, cap);
    }
}
