package com.mlplatform.logexport.worker.events;

import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.ExportFinished;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import java.time.Instant;
import java.util.Optional;

/**
 * The worker's terminal paths, as metrics and completion events. The worker publishes what it wrote (SUCCEEDED, its
 * own FAILED) and, when a finished export's message comes back, publishes it again with the same event id: the
 * invocation that finished it may have died between its write and its publish. A cancel is the request API's to
 * publish (it wrote it); the worker noticing one publishes nothing.
 */
public final class WorkerCompletions {

    private final Completions completions;

    public WorkerCompletions(Completions completions) {
        this.completions = completions;
    }

    /** The worker stored {@code finished} (SUCCEEDED or FAILED) while holding {@code checkpoint}'s lease. */
    public void finished(ExportJob finished, Checkpoint checkpoint) {
        if (ArchiveIds.isArchive(finished.exportId())) {
            return; // a batch's archive is no export: no export event, no export metrics
        }
        ExportFinished event = ExportFinished.of(finished);
        completions.finished(event, finished.createdAt());
        completions.metrics().delivered(event, finished.createdAt(), Instant.ofEpochMilli(checkpoint.startedAt()),
                checkpoint.continuation());
    }

    /** The worker failed an export whose message it could not read; {@code stored} is the record read back. */
    public void failedUnread(Optional<ExportJob> stored) {
        stored.filter(j -> j.status() == ExportStatus.FAILED)
                .ifPresent(j -> completions.finished(ExportFinished.of(j), j.createdAt()));
    }

    /** A message for an export that is already finished. */
    public void alreadyFinished(ExportJob job) {
        if (!ArchiveIds.isArchive(job.exportId()) && (job.status() == ExportStatus.SUCCEEDED || job.status() == ExportStatus.FAILED)) {
            completions.republish(ExportFinished.of(job));
        }
    }
}
