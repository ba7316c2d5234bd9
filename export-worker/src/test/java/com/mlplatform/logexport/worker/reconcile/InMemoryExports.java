package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exports table in memory, as the reconciler sees it: the sparse index (active jobs only) and the records with
 * version-conditional failing.
 */
final class InMemoryExports implements ActiveExports, ExportRecords {

    private final Map<String, ExportJob> jobs = new LinkedHashMap<>();
    /** Runs just before a fail's condition is checked: lets a test write in between, as a worker could. */
    private Runnable beforeFail = () -> { };

    void put(ExportJob job) {
        jobs.put(job.exportId(), job);
    }

    ExportJob job(String exportId) {
        return jobs.get(exportId);
    }

    List<ExportJob> jobs() {
        return List.copyOf(jobs.values());
    }

    void beforeFail(Runnable hook) {
        this.beforeFail = hook;
    }

    @Override
    public List<Entry> all() {
        List<Entry> entries = new ArrayList<>();
        for (ExportJob j : jobs.values()) {
            if (j.status().isActive()) {
                entries.add(new Entry(j.exportId(), j.status(), j.createdAt(), j.updatedAt()));
            }
        }
        return entries;
    }

    @Override
    public Optional<ExportJob> find(String exportId) {
        return Optional.ofNullable(jobs.get(exportId));
    }

    @Override
    public boolean fail(ExportJob current, JobError error, Instant now) {
        beforeFail.run();
        ExportJob stored = jobs.get(current.exportId());
        if (stored == null || stored.version() != current.version() || stored.status() != current.status()) {
            return false;
        }
        jobs.put(current.exportId(), new ExportJob(current.exportId(), current.usecaseId(), current.trainingId(),
                current.requestedBy(), current.options(), ExportStatus.FAILED, current.createdAt(), now,
                current.batchId(), current.progress(), error, null, null, current.version() + 1));
        return true;
    }
}
