package com.mlplatform.logexport.worker.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When this invocation must stop working and checkpoint: Lambda's remaining time minus a safety margin that leaves
 * room to stash the open part, write the checkpoint and enqueue the continuation.
 */
public record Deadline(Clock clock, Instant at) {

    public Deadline {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(at, "at");
    }

    public static Deadline after(Clock clock, long remainingMillis, Duration safetyMargin) {
        return new Deadline(clock, clock.instant().plusMillis(remainingMillis).minus(safetyMargin));
    }

    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean isPassed() {
        return !clock.instant().isBefore(at);
    }

    /** True if {@code needed} more time still fits before the deadline. */
    public boolean allows(Duration needed) {
        return remaining().compareTo(needed) > 0;
    }
}
