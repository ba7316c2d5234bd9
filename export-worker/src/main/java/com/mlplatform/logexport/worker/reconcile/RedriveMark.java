package com.mlplatform.logexport.worker.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * The reconciler's memory of one export between runs.
 *
 * @param progress     {@link ReconcileRules#progressOf} when this mark was started: any durable progress since
 *                     (a new hop, a new checkpoint, a status change) starts a fresh mark
 * @param leaseOwner   the expired lease seen last, null when none: a different one is a new attempt that died
 * @param failedClaims attempts (claims whose lease expired) without progress since {@code progress}
 * @param redrives     re-drives since the last change seen (progress or a new attempt); doubles the next wait
 * @param redrivenAt   the last re-drive, null when none
 */
public record RedriveMark(String exportId, String progress, String leaseOwner, int failedClaims, int redrives,
                          Instant redrivenAt) {

    public RedriveMark {
        Objects.requireNonNull(exportId, "exportId");
        Objects.requireNonNull(progress, "progress");
        if (failedClaims < 0 || redrives < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    RedriveMark redriven(Instant at) {
        return new RedriveMark(exportId, progress, leaseOwner, failedClaims, redrives + 1, at);
    }
}
