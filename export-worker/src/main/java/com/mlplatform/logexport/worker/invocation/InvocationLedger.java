package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;

/**
 * How an export invocation makes its state durable. Both methods throw {@link JobChanged} when the job moved on
 * without us.
 */
public interface InvocationLedger {

    /** Saves {@code checkpoint} now (conditional write). */
    void persist(Checkpoint checkpoint, Progress progress);

    /** Saves progress if the last save is old enough (throttled); checks for cancellation when it writes. */
    void progress(Progress progress);
}
