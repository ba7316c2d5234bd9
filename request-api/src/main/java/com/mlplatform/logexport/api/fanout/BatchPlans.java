package com.mlplatform.logexport.api.fanout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A batch's plan chunks and its fan-out progress, kept in the exports table beside the batch record
 * ({@code exportstable.DynamoBatchRecords} in production, a map in tests). Written by the accept route in one
 * call; read by the status routes, the fan-out and the sweep.
 */
public interface BatchPlans {

    /** Empty for an unknown batch and for one accepted before fan-outs existed. */
    Optional<FanoutProgress> progress(String batchId);

    /** Every chunk of the batch's plan of {@code items} items, in order (strongly consistent). */
    List<PlanChunk> chunks(String batchId, int items);

    /** The chunk holding {@code ref}'s item, if such a plan exists. */
    Optional<PlanChunk> chunk(BatchItemIds.Ref ref);

    /** A fan-out run has started: the batch is alive now. */
    void touch(String batchId, Instant now);

    /** Sets {@code state} (DONE or FAILED) if the fan-out is still PENDING; the batch leaves the sweep's sight. */
    void finish(String batchId, FanoutState state, Instant now);

    /** PENDING fan-outs whose last sign of life is before {@code before}. */
    List<FanoutProgress> stale(Instant before);

    /** The sweep has sent the batch again: one more re-drive, alive now. */
    void redriven(String batchId, Instant now);
}
