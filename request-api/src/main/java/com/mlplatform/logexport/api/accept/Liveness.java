package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.job.ExportJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which exports are live: QUEUED or RUNNING and written within {@code stuckAfter}. A worker writes its job at
 * every claim and checkpoint, so an export silent for longer is presumed stuck — its message lost or its worker
 * dead — and is the reconciler's to re-drive or fail (docs/reliability.md). In-flight dedupe joins only live
 * exports, and only they count against the per-user cap.
 *
 * @param stuckAfter {@code ApiConfig.stuckAfter}: the reconciler's own bound, from the same variables
 */
public record Liveness(Duration stuckAfter) {

    public Liveness {
        Objects.requireNonNull(stuckAfter, "stuckAfter");
    }

    public boolean isLive(ExportJob job, Instant now) {
        return job.status().isActive() && job.updatedAt().isAfter(writtenSince(now));
    }

    /** A live export was written after this. */
    public Instant writtenSince(Instant now) {
        return now.minus(stuckAfter);
    }
}
