package com.mlplatform.logexport.shared.job;

import java.time.Instant;
import java.util.Objects;

/**
 * One export of one training job's logs: the record in the exports table that the request API creates, the worker
 * advances and the status endpoint reads.
 *
 * @param requestedBy the full user id of the caller, kept for audit even where the STS session name shortens it
 * @param batchId     set when the export was created as part of a batch, else null
 * @param error       set when FAILED
 * @param result      set when SUCCEEDED
 * @param checkpoint  the worker's resume state (opaque JSON owned by export-worker), null when none
 * @param version     optimistic-lock counter, incremented on every write
 */
public record ExportJob(
        String exportId,
        String usecaseId,
        String trainingId,
        String requestedBy,
        ExportOptions options,
        ExportStatus status,
        Instant createdAt,
        Instant updatedAt,
        String batchId,
        Progress progress,
        JobError error,
        ExportResult result,
        String checkpoint,
        long version) {

    public ExportJob {
        Objects.requireNonNull(exportId, "exportId");
        Objects.requireNonNull(usecaseId, "usecaseId");
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(progress, "progress");
    }

    public static ExportJob queued(String exportId, String usecaseId, String trainingId, String requestedBy,
                                   ExportOptions options, String batchId, Instant now) {
        return new ExportJob(exportId, usecaseId, trainingId, requestedBy, options, ExportStatus.QUEUED, now, now,
                batchId, Progress.NONE, null, null, null, 0);
    }
}
