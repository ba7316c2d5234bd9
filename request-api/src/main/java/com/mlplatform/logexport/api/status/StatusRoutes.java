package com.mlplatform.logexport.api.status;

import com.mlplatform.logexport.api.access.AccessControl;
import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.accept.AcceptReplies.ExportAccepted;
import com.mlplatform.logexport.api.download.DownloadLink;
import com.mlplatform.logexport.api.download.DownloadLinks;
import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.api.http.Reply;
import com.mlplatform.logexport.api.status.StatusDocuments.ArchivePart;
import com.mlplatform.logexport.api.status.StatusDocuments.BatchDocument;
import com.mlplatform.logexport.api.status.StatusDocuments.ExportDocument;
import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.ExportFinished;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** GET and DELETE /log-exports/{exportId}, GET /log-export-batches/{batchId}. */
public final class StatusRoutes {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final AccessControl access;
    private final ExportJobRepository jobs;
    private final BatchMembership batches;
    private final PendingExports pending;
    private final DownloadLinks links;
    private final Clock clock;
    private final Completions completions;

    /** @param completions the cancel's metrics and completion event: the API writes CANCELLED, so it publishes it */
    public StatusRoutes(AccessControl access, ExportJobRepository jobs, BatchMembership batches,
                        PendingExports pending, DownloadLinks links, Clock clock, Completions completions) {
        this.access = access;
        this.jobs = jobs;
        this.batches = batches;
        this.pending = pending;
        this.links = links;
        this.clock = clock;
        this.completions = completions;
    }

    public Reply getExport(Caller caller, String exportId) {
        ExportJob job = access.requireVisible(find(exportId), caller, "Export " + exportId);
        DownloadLink link = job.status() == ExportStatus.SUCCEEDED && job.result() != null
                ? links.mint(job.result()) : null;
        return Reply.of(200, ExportDocument.of(job, link));
    }

    public Reply cancelExport(Caller caller, String exportId) {
        ExportJob job = access.requireVisible(find(exportId), caller, "Export " + exportId);
        Instant at = clock.instant();
        if (job.status() == ExportStatus.QUEUED && job.version() == 0 && jobs.find(exportId).isEmpty()
                && jobs.create(cancelled(job, at))) {
            // Not fanned out yet: its job is created CANCELLED, so the fan-out finds it taken and sends nothing.
            LOG.info("export_cancelled", "exportId", exportId, "by", caller.userId(), "beforeFanout", true);
            completions.finished(ExportFinished.of(job, ExportStatus.CANCELLED, null, at), job.createdAt());
            return ExportAccepted.reply(exportId, ExportStatus.CANCELLED);
        }
        if (job.status().isActive() && jobs.finishIfActive(exportId, ExportStatus.CANCELLED, null, at)) {
            LOG.info("export_cancelled", "exportId", exportId, "by", caller.userId());
            completions.finished(ExportFinished.of(job, ExportStatus.CANCELLED, null, at), job.createdAt());
            return ExportAccepted.reply(exportId, ExportStatus.CANCELLED);
        }
        ExportStatus now = jobs.find(exportId).map(ExportJob::status).orElse(job.status());
        if (now == ExportStatus.CANCELLED) {
            // Cancelling twice is not an error: the caller's wish holds.
            return ExportAccepted.reply(exportId, ExportStatus.CANCELLED);
        }
        throw new ApiException(ErrorCode.CONFLICT, "The export has already finished (" + now
                + "), so there is nothing to cancel.");
    }

    /** The job, or while the fan-out has not created it yet, its batch plan's placeholder. */
    private Optional<ExportJob> find(String exportId) {
        Optional<ExportJob> job = jobs.find(exportId);
        return job.isPresent() ? job : pending.find(exportId);
    }

    private static ExportJob cancelled(ExportJob job, Instant at) {
        return new ExportJob(job.exportId(), job.usecaseId(), job.trainingId(), job.requestedBy(), job.options(),
                ExportStatus.CANCELLED, job.createdAt(), at, job.batchId(), job.progress(), null, null, null, 0);
    }

    /**
     * The batch's exports (created or joined), its per-item errors and, once asked for, its archive with a fresh
     * link when built. Anyone who may not see the batch's use case gets the same 404 as for no batch.
     */
    public Reply getBatch(Caller caller, String batchId) {
        BatchMembership.Batch batch = batches.find(batchId).filter(b -> access.canSee(b.usecaseId(), caller))
                .orElseThrow(() -> AccessControl.notFound("Batch " + batchId));
        return Reply.of(200, BatchDocument.of(batchId, batch.usecaseId(), batch.requested(), batch.exports(),
                batch.errors(), archiveOf(batchId).orElse(null)));
    }

    /** The batch's archive as the status shows it, with a link minted now when it is built. */
    public Optional<ArchivePart> archiveOf(String batchId) {
        return jobs.find(ArchiveIds.archiveIdOf(batchId)).map(a -> ArchivePart.of(a,
                a.status() == ExportStatus.SUCCEEDED && a.result() != null ? links.mint(a.result()) : null));
    }
}
