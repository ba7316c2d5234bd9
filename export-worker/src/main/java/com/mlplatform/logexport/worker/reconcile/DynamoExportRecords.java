package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import java.time.Instant;
import java.util.Optional;

/** The job records, through {@link ExportJobRepository}: failing is its version-conditional replace. */
public final class DynamoExportRecords implements ExportRecords {

    private final ExportJobRepository repository;

    public DynamoExportRecords(ExportJobRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<ExportJob> find(String exportId) {
        return repository.find(exportId);
    }

    /** The checkpoint is dropped: the caller has cleaned up what it pointed at. */
    @Override
    public boolean fail(ExportJob current, JobError error, Instant now) {
        ExportJob failed = new ExportJob(current.exportId(), current.usecaseId(), current.trainingId(),
                current.requestedBy(), current.options(), ExportStatus.FAILED, current.createdAt(), now,
                current.batchId(), current.progress(), error, null, null, current.version());
        return repository.replace(current, failed).isPresent();
    }
}
