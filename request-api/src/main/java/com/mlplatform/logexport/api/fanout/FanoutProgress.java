package com.mlplatform.logexport.api.fanout;

import java.time.Instant;
import java.util.Objects;

/**
 * A batch's fan-out as its batch record keeps it.
 *
 * @param items     how many exports the batch plans (its distinct valid ids)
 * @param updatedAt the last sign of life: accepted, a fan-out run started, or a re-drive sent
 * @param redrives  how many times {@link FanoutSweep} has sent the batch to the fan-out again
 */
public record FanoutProgress(String batchId, FanoutState state, int items, Instant updatedAt, int redrives) {

    public FanoutProgress {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
