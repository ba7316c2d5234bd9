package com.mlplatform.logexport.worker.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.worker.testing.ManualClock;
import com.mlplatform.logexport.worker.time.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Throttling and transient faults: full-jitter backoff inside the time budget, then a checkpoint, never a failure. */
class RetrierTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-15T10:00:00Z"));
    private final List<Long> sleeps = new ArrayList<>();
    private final AtomicInteger refreshes = new AtomicInteger();

    private Retrier retrier(Duration budget) {
        return new Retrier(new Deadline(clock, clock.instant().plus(budget)), refreshes::incrementAndGet, d -> {
            sleeps.add(d.toMillis());
            clock.advance(d);
        }, Retrier.RetryListener.NONE);
    }

    private static RetryableFailure throttled() {
        return new RetryableFailure(RetryableFailure.Kind.THROTTLED, "logs:GetLogEvents", null);
    }

    @Property(tries = 200)
    void throttling_isRetriedWithFullJitter_untilItSucceeds(@ForAll @IntRange(min = 0, max = 12) int failures) {
        sleeps.clear();
        AtomicInteger calls = new AtomicInteger();
        String result = retrier(Duration.ofHours(1)).call(() -> {
            if (calls.getAndIncrement() < failures) {
                throw throttled();
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(sleeps).hasSize(failures);
        for (int attempt = 0; attempt < sleeps.size(); attempt++) {
            long ceiling = Math.min(Retrier.CAP.toMillis(), Retrier.BASE.toMillis() << attempt);
            assertThat(sleeps.get(attempt)).as("attempt %d sleeps in [0, %d]", attempt, ceiling)
                    .isBetween(0L, ceiling);
        }
    }

    @Test
    void endlessThrottling_endsInOutOfTime_notInAFailure() {
        Retrier r = retrier(Duration.ofSeconds(30));
        assertThatThrownBy(() -> r.call(() -> {
            throw throttled();
        })).isInstanceOf(OutOfTime.class);
        assertThat(clock.instant()).as("never sleeps past the deadline")
                .isBeforeOrEqualTo(Instant.parse("2026-01-15T10:00:30Z"));
        assertThat(sleeps).isNotEmpty();
    }

    @Test
    void expiredToken_refreshesCredentials_andRetriesOnce() {
        AtomicInteger calls = new AtomicInteger();
        String result = retrier(Duration.ofMinutes(1)).call(() -> {
            if (calls.getAndIncrement() == 0) {
                throw new ExpiredCredentials("logs:GetLogEvents", null);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(refreshes).hasValue(1);
        assertThat(calls).hasValue(2);
    }

    @Test
    void expiredAgainRightAfterRefresh_failsAsInternal() {
        assertThatThrownBy(() -> retrier(Duration.ofMinutes(1)).call(() -> {
            throw new ExpiredCredentials("logs:GetLogEvents", null);
        })).isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL));
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void jobFailures_areNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retrier(Duration.ofMinutes(1)).call(() -> {
            calls.incrementAndGet();
            throw JobFailure.invalidRequest("no");
        })).isInstanceOf(JobFailure.class);
        assertThat(calls).hasValue(1);
    }
}
