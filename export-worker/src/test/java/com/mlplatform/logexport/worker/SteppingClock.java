package com.mlplatform.logexport.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real time plus {@code step} for every reading. The worker reads the clock as it works (between batches of events,
 * before each page and part), so its time budget runs out after an amount of <em>work</em> rather than of wall-clock
 * time: a test then forces continuations the same way on a fast machine and on a loaded one.
 */
final class SteppingClock extends Clock {

    private final Duration step;
    private final AtomicLong readings = new AtomicLong();

    SteppingClock(Duration step) {
        this.step = step;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(step.multipliedBy(readings.incrementAndGet()));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
