package com.mlplatform.logexport.worker.time;

import java.time.Clock;
import java.time.Duration;

/**
 * An invocation's time: {@code work} is when to stop merging and checkpoint; {@code hard} is the latest any AWS
 * call may still run (just before Lambda would kill the invocation), which is what saving the checkpoint may use.
 */
public record Budget(Deadline work, Deadline hard) {

    static final Duration HARD_RESERVE = Duration.ofSeconds(2);

    public static Budget of(Clock clock, long remainingMillis, Duration safetyMargin) {
        Duration reserve = safetyMargin.dividedBy(2).compareTo(HARD_RESERVE) < 0 ? safetyMargin.dividedBy(2)
                : HARD_RESERVE;
        return new Budget(Deadline.after(clock, remainingMillis, safetyMargin),
                Deadline.after(clock, remainingMillis, reserve));
    }
}
