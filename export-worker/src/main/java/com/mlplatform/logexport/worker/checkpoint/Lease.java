package com.mlplatform.logexport.worker.checkpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * Which delivery is working on a job, and until when. Taken and given back by conditional writes on the job
 * record, so two deliveries of the same message (SQS is at-least-once) never work at the same time. It expires
 * shortly after the holder's Lambda invocation must have ended, so a crashed holder cannot block the job forever.
 */
public record Lease(String owner, long untilEpochMillis) {

    public Lease {
        Objects.requireNonNull(owner, "owner");
    }

    public boolean isHeldAt(Instant now) {
        return now.toEpochMilli() < untilEpochMillis;
    }
}
