package com.mlplatform.logexport.api.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mlplatform.logexport.api.access.AccessControl;
import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.accept.AcceptReplies;
import com.mlplatform.logexport.api.accept.AcceptReplies.Item;
import com.mlplatform.logexport.api.accept.QueueSends;
import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.api.http.Reply;
import com.mlplatform.logexport.api.status.BatchMembership;
import com.mlplatform.logexport.api.status.StatusDocuments.ArchivePart;
import com.mlplatform.logexport.api.status.StatusRoutes;
import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.archive.ArchiveMember;
import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * POST /log-export-batches/{batchId}/archive: asks for one zip of the batch's SUCCEEDED exports plus a manifest
 * (docs/api.md, "Batch archive"). Only once every export of the batch has finished; idempotent — a request while
 * the archive is queued, building or built answers its state, one for a FAILED archive starts a new attempt.
 */
public final class ArchiveRoutes {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final AccessControl access;
    private final BatchMembership batches;
    private final Function<String, Optional<ExportJob>> jobs;
    private final ArchiveRecords records;
    private final QueueSends queue;
    private final StatusRoutes status;
    private final Clock clock;

    /**
     * @param jobs   reads a job record (strongly consistent)
     * @param queue  sends the archive job's start message, as for exports
     * @param status renders the archive as the batch status shows it
     */
    public ArchiveRoutes(AccessControl access, BatchMembership batches, Function<String, Optional<ExportJob>> jobs,
                         ArchiveRecords records, QueueSends queue, StatusRoutes status, Clock clock) {
        this.access = access;
        this.batches = batches;
        this.jobs = jobs;
        this.records = records;
        this.queue = queue;
        this.status = status;
        this.clock = clock;
    }

    /** 202 with the archive's state while it is queued or building, 200 with its link once built. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArchiveAccepted(String batchId, String statusUrl, ArchivePart archive) {
    }

    public Reply request(Caller caller, String batchId) {
        BatchMembership.Batch batch = batches.find(batchId).filter(b -> access.canSee(b.usecaseId(), caller))
                .orElseThrow(() -> AccessControl.notFound("Batch " + batchId));
        String archiveId = ArchiveIds.archiveIdOf(batchId);
        Optional<ExportJob> existing = jobs.apply(archiveId);
        if (existing.isPresent() && existing.get().status() != ExportStatus.FAILED) {
            if (existing.get().status() == ExportStatus.QUEUED) {
                // Its start message may be the one that got lost: a copy is harmless (the worker's lease lets one
                // delivery work), and repairs that now rather than after the reconciler's grace.
                send(archiveId);
            }
            return reply(batchId);
        }
        List<ArchiveMember> members = members(batch);
        ExportJob job = ArchiveIds.queuedJob(batchId, batch.usecaseId(), caller.userId(), clock.instant());
        ArchiveMembers snapshot = new ArchiveMembers(batchId, batch.usecaseId(), members);
        if (records.create(snapshot, job)) {
            LOG.info("archive_requested", "batchId", batchId, "archiveId", archiveId, "by", caller.userId(),
                    "files", members.stream().filter(ArchiveMember::hasFile).count(), "members", members.size());
            send(archiveId);
        }
        return reply(batchId);
    }

    /**
     * The batch as the archive will list it; refused unless every export has finished and at least one
     * SUCCEEDED: an archive of a batch still running would be out of date at once.
     */
    private static List<ArchiveMember> members(BatchMembership.Batch batch) {
        long unfinished = batch.exports().stream().filter(j -> j.status().isActive()).count();
        if (unfinished > 0) {
            throw new ApiException(ErrorCode.CONFLICT, unfinished + " of the batch's " + batch.exports().size()
                    + " exports have not finished yet. Ask for the archive once they have.");
        }
        List<ArchiveMember> members = new ArrayList<>(batch.exports().size() + batch.errors().size());
        batch.exports().forEach(j -> members.add(ArchiveMember.of(j)));
        if (members.stream().noneMatch(ArchiveMember::hasFile)) {
            throw new ApiException(ErrorCode.CONFLICT, "No export of this batch succeeded, so there is nothing to "
                    + "archive.");
        }
        for (Item e : batch.errors()) {
            members.add(ArchiveMember.rejected(e.trainingId() == null ? "" : e.trainingId(),
                    e.error() == null ? null : e.error().code(), e.error() == null ? null : e.error().message()));
        }
        return members;
    }

    private void send(String archiveId) {
        if (!queue.sendBatch(List.of(archiveId)).isEmpty()) {
            // Left QUEUED: the next request, or the reconciler after its grace, sends it again.
            LOG.warn("archive_not_sent", "archiveId", archiveId);
        }
    }

    private Reply reply(String batchId) {
        ArchivePart archive = status.archiveOf(batchId).orElseThrow();
        String url = AcceptReplies.batchUrl(batchId);
        int code = ExportStatus.valueOf(archive.status()) == ExportStatus.SUCCEEDED ? 200 : 202;
        return Reply.of(code, new ArchiveAccepted(batchId, url, archive)).withHeader("Location", url);
    }
}
