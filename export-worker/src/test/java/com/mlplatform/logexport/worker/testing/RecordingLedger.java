package com.mlplatform.logexport.worker.testing;

import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.invocation.InvocationLedger;
import com.mlplatform.logexport.worker.invocation.JobChanged;
import java.util.ArrayList;
import java.util.List;

/** An invocation ledger in memory: records what was persisted; can be told the job was cancelled. */
public class RecordingLedger implements InvocationLedger {

    public final List<Checkpoint> persisted = new ArrayList<>();
    public final List<Progress> progress = new ArrayList<>();
    private boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    @Override
    public void persist(Checkpoint checkpoint, Progress p) {
        check();
        // Round-trip through the codec, as the real ledger does.
        persisted.add(CheckpointCodec.decode(CheckpointCodec.encode(checkpoint)));
        progress.add(p);
    }

    @Override
    public void progress(Progress p) {
        check();
        progress.add(p);
    }

    private void check() {
        if (cancelled) {
            throw new JobChanged(ExportStatus.CANCELLED);
        }
    }
}
