package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.shared.job.ExportStatus;

/**
 * The job record changed under us: cancelled by the user, or (after a stalled invocation) taken over by another
 * delivery whose lease superseded ours. The invocation stops at once; if the job was cancelled it also cleans up.
 */
public final class JobChanged extends RuntimeException {

    private final ExportStatus status;

    public JobChanged(ExportStatus status) {
        super("job is now " + status, null, false, false);
        this.status = status;
    }

    public ExportStatus status() {
        return status;
    }

    public boolean cancelled() {
        return status == ExportStatus.CANCELLED;
    }
}
