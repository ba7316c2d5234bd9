package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.ExportFinished;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.worker.reconcile.ExportLeftovers.OpenUpload;
import com.mlplatform.logexport.worker.reconcile.ExportLeftovers.StoredObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One reconciler run: every active export that may be stuck is looked at and re-driven, left alone or FAILED
 * ({@link ReconcileRules}); then leftovers that no live export owns are removed. Plain Java over ports, so tests
 * drive it in memory with any clock.
 *
 * <p>A FAILED export is cleaned up first and failed second: should the cleanup fail, the export stays active and
 * the next run tries again, rather than a FAILED record with an upload nobody will abort. Every action is
 * idempotent, so a run that dies half-way is simply continued by the next.
 */
public final class Reconciler {

    private final ActiveExports index;
    private final ExportRecords records;
    private final RedriveMarks marks;
    private final ExportQueue queue;
    private final ExportLeftovers leftovers;
    private final ReconcilerConfig config;
    private final ReconcileRules rules;
    private final StructuredLog log;
    private final Completions completions;

    /** @param completions metrics of the run, and the metrics and completion event of every export it fails */
    public Reconciler(ActiveExports index, ExportRecords records, RedriveMarks marks, ExportQueue queue,
                      ExportLeftovers leftovers, ReconcilerConfig config, StructuredLog log, Completions completions) {
        this.index = index;
        this.records = records;
        this.marks = marks;
        this.queue = queue;
        this.leftovers = leftovers;
        this.config = config;
        this.rules = new ReconcileRules(config);
        this.log = log;
        this.completions = completions;
    }

    public ReconcileReport runOnce(Instant now) {
        Map<String, Integer> counts = new HashMap<>();
        Set<String> active = new HashSet<>();
        for (ActiveExports.Entry entry : index.all()) {
            active.add(entry.exportId());
            count(counts, "active");
            if (!rules.mayNeedAction(entry, now)) {
                continue;
            }
            try {
                reconcile(entry.exportId(), now, counts);
            } catch (RuntimeException e) {
                count(counts, "errors");
                log.warn("reconcile_error", "exportId", entry.exportId(), "cause", e.getClass().getSimpleName());
            }
        }
        sweepOrphans(now, active, counts);
        ReconcileReport report = new ReconcileReport(counts);
        log.info("reconcile_run", "counts", report.sorted());
        completions.metrics().reconciled(report.total("redriven_"), report.total("failed_"));
        return report;
    }

    private void reconcile(String exportId, Instant now, Map<String, Integer> counts) {
        Optional<ExportJob> found = records.find(exportId);
        if (found.isEmpty() || !found.get().status().isActive()) {
            count(counts, "index_lag"); // finished since the index was read
            return;
        }
        ExportJob job = found.get();
        Verdict verdict = rules.decide(job, marks.find(exportId).orElse(null), now);
        if (verdict instanceof Verdict.Leave leave) {
            if (leave.mark() != null) {
                marks.save(leave.mark());
            }
            count(counts, "left_" + name(leave.reason()));
        } else if (verdict instanceof Verdict.Redrive redrive) {
            marks.save(redrive.mark());
            queue.send(redrive.message());
            count(counts, "redriven_" + name(redrive.reason()));
            log.info("export_redriven", "exportId", exportId, "reason", redrive.reason().name(),
                    "hop", redrive.message().continuation(), "redrives", redrive.mark().redrives(),
                    "failedClaims", redrive.mark().failedClaims());
        } else if (verdict instanceof Verdict.Fail fail) {
            fail(job, fail, now, counts);
        }
    }

    private void fail(ExportJob job, Verdict.Fail fail, Instant now, Map<String, Integer> counts) {
        try {
            cleanUp(job);
        } catch (RuntimeException e) {
            count(counts, "cleanup_failed");
            log.warn("cleanup_failed", "exportId", job.exportId(), "reason", fail.reason().name(),
                    "cause", e.getClass().getSimpleName());
            return;
        }
        String correlationId = "err-" + UUID.randomUUID();
        JobError error = new JobError(ErrorCode.INTERNAL, fail.userMessage(), correlationId);
        if (records.fail(job, error, now)) {
            count(counts, "failed_" + name(fail.reason()));
            if (!ArchiveIds.isArchive(job.exportId())) { // a batch's archive is no export: no export event
                completions.finished(ExportFinished.of(job, ExportStatus.FAILED, error, now), job.createdAt());
            }
            log.warn("export_failed", "exportId", job.exportId(), "reason", fail.reason().name(),
                    "status", job.status().name(), "correlationId", correlationId);
        } else {
            count(counts, "fail_raced"); // written meanwhile: the next run decides again
        }
    }

    /** Aborts the export's uploads and deletes its working objects, found by prefix (see {@link ExportKeys}). */
    private void cleanUp(ExportJob job) {
        for (OpenUpload upload : leftovers.openUploads(ExportKeys.exportPrefix(job.usecaseId(), job.exportId()))) {
            leftovers.abort(upload);
        }
        for (StoredObject object : leftovers.objects(ExportKeys.workPrefix(job.usecaseId(), job.exportId()))) {
            leftovers.delete(object.key());
        }
    }

    /**
     * Uploads and working objects older than any export may live, whose export is finished or gone: left by a
     * path that failed without cleaning up. The lifecycle rule would remove the uploads a day later; this keeps
     * the bucket clean without waiting, and removes working objects, which no lifecycle rule covers.
     */
    private void sweepOrphans(Instant now, Set<String> active, Map<String, Integer> counts) {
        Instant cutoff = now.minus(config.orphanAge());
        try {
            for (OpenUpload upload : leftovers.openUploads(ExportKeys.EXPORTS)) {
                if (upload.initiated().isBefore(cutoff)) {
                    if (ownedByLiveExport(upload.key(), active)) {
                        count(counts, "orphans_kept");
                    } else {
                        leftovers.abort(upload);
                        count(counts, "orphan_uploads_aborted");
                    }
                }
            }
            for (StoredObject object : leftovers.objects(ExportKeys.WORK)) {
                if (object.lastModified().isBefore(cutoff)) {
                    if (ownedByLiveExport(object.key(), active)) {
                        count(counts, "orphans_kept");
                    } else {
                        leftovers.delete(object.key());
                        count(counts, "orphan_work_deleted");
                    }
                }
            }
        } catch (RuntimeException e) {
            count(counts, "errors");
            log.warn("orphan_sweep_error", "cause", e.getClass().getSimpleName());
        }
    }

    private boolean ownedByLiveExport(String key, Set<String> active) {
        Optional<String> exportId = ExportKeys.exportIdOf(key);
        if (exportId.isEmpty()) {
            return false;
        }
        return active.contains(exportId.get())
                || records.find(exportId.get()).map(ExportJob::status).filter(ExportStatus::isActive).isPresent();
    }

    private static String name(Verdict.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private static void count(Map<String, Integer> counts, String action) {
        counts.merge(action, 1, Integer::sum);
    }
}
