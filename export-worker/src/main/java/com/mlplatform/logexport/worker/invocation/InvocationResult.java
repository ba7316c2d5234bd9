package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;

/** How one invocation's share of an export ended. */
public sealed interface InvocationResult
        permits InvocationResult.Finished, InvocationResult.Paused, InvocationResult.Cancelled {

    Progress progress();

    /** The file is complete in S3. */
    record Finished(ExportResult result, Progress progress) implements InvocationResult {
    }

    /** Out of time: continue from {@code checkpoint} in the next invocation. */
    record Paused(Checkpoint checkpoint, Progress progress) implements InvocationResult {
    }

    /** The job was cancelled; the upload and working objects are cleaned up. */
    record Cancelled(Progress progress) implements InvocationResult {
    }
}
