package com.mlplatform.logexport.emulator.lambda;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real time plus {@code step} for every reading. The worker reads its clock as it
 * works (between batches of events, before each page and part), so with a step much larger than the real time an
 * invocation takes, its time budget runs out after an amount of <em>work</em>, not of wall-clock time: the export
 * needs the same continuations on a fast machine and on a loaded one (a slow machine can only add a hop).
 */
public final class SteppingClock extends Clock {

    private final Duration step;
    private final AtomicLong readings = new AtomicLong();

    public SteppingClock(Duration step) {
        this.step = step;
    }

    public long readings() {
        return readings.get();
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
