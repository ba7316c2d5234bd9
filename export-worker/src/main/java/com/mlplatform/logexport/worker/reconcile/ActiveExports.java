package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The sparse index of active exports: exactly the QUEUED and RUNNING ones, never a scan of the table.
 * {@link DynamoActiveExports} in production; eventually consistent, so the reconciler re-reads a job before acting.
 */
public interface ActiveExports {

    /** What the index holds of one active export: enough to tell whether it may need a look. */
    record Entry(String exportId, ExportStatus status, Instant createdAt, Instant updatedAt) {
        public Entry {
            Objects.requireNonNull(exportId, "exportId");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }
    }

    List<Entry> all();
}
