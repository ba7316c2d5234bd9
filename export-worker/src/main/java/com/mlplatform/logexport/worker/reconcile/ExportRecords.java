package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.JobError;
import java.time.Instant;
import java.util.Optional;

/** The job records the reconciler reads and fails: {@link DynamoExportRecords} in production. */
public interface ExportRecords {

    /** The job as it is now (a strongly consistent read). */
    Optional<ExportJob> find(String exportId);

    /**
     * Moves {@code current} to FAILED if nobody wrote it since it was read (conditional on its version), so a
     * worker that came back to life is never overwritten. False when the condition failed: decide again next run.
     */
    boolean fail(ExportJob current, JobError error, Instant now);
}
