package com.mlplatform.logexport.worker.job;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import java.time.Instant;
import java.util.Optional;

/**
 * The exports table as the {@link JobLedger} needs it: {@link ExportJobRepository} in production (see
 * {@link #of}), an in-memory table in unit tests.
 */
public interface JobRecords {

    /** The record, strongly consistent, with the token of the write that stored it. */
    Optional<ExportJobRepository.Stored> find(String exportId);

    /** Conditional write on {@code current}'s version and status; empty when the condition failed. */
    Optional<ExportJob> replace(ExportJob current, ExportJob updated, String writeToken);

    /** Finishes a job whatever its version; false if it is already finished or does not exist. */
    boolean finishIfActive(String exportId, ExportStatus target, JobError error, Instant now);

    static JobRecords of(ExportJobRepository repository) {
        return new JobRecords() {
            @Override
            public Optional<ExportJobRepository.Stored> find(String exportId) {
                return repository.findStored(exportId);
            }

            @Override
            public Optional<ExportJob> replace(ExportJob current, ExportJob updated, String writeToken) {
                return repository.replace(current, updated, writeToken);
            }

            @Override
            public boolean finishIfActive(String exportId, ExportStatus target, JobError error, Instant now) {
                return repository.finishIfActive(exportId, target, error, now);
            }
        };
    }
}
