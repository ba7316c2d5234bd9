package com.mlplatform.logexport.worker.job;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.invocation.InvocationLedger;
import com.mlplatform.logexport.worker.invocation.JobChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The job as this delivery holds it: the latest record we wrote (its version is the condition of our next write)
 * and the last durable checkpoint. Progress is written at most every {@code progressInterval}; each write doubles
 * as the cancellation check, because the API's cancel changes the record and our conditional write then fails.
 * Each write carries this delivery's next write token (see {@link JobLedger}), so a write whose response was lost
 * is recognised as ours.
 */
public final class LeasedJob implements InvocationLedger {

    private final JobLedger ledger;
    private final Clock clock;
    private final Duration progressInterval;
    private ExportJob current;
    private Checkpoint durable;
    private final String owner;
    private Instant lastWrite;
    private int writes;

    public LeasedJob(JobLedger ledger, Clock clock, Duration progressInterval, ExportJob job, Checkpoint checkpoint,
                     String owner) {
        this.ledger = ledger;
        this.owner = owner;
        this.clock = clock;
        this.progressInterval = progressInterval;
        this.current = job;
        this.durable = checkpoint;
        this.lastWrite = clock.instant();
    }

    public ExportJob current() {
        return current;
    }

    public Checkpoint checkpoint() {
        return durable;
    }

    @Override
    public void persist(Checkpoint checkpoint, Progress progress) {
        current = orChanged(ledger.save(current, checkpoint, progress, nextToken()));
        durable = checkpoint;
        lastWrite = clock.instant();
    }

    @Override
    public void progress(Progress progress) {
        Instant now = clock.instant();
        if (Duration.between(lastWrite, now).compareTo(progressInterval) < 0 || progress.equals(current.progress())) {
            return;
        }
        current = orChanged(ledger.save(current, durable, progress, nextToken()));
        lastWrite = now;
    }

    /** Writes the result; throws {@link JobChanged} if the job was cancelled (or taken over) just before. */
    public void succeed(com.mlplatform.logexport.shared.job.ExportResult result, Progress progress) {
        current = orChanged(ledger.succeed(current, result, progress, nextToken()));
    }

    public boolean fail(com.mlplatform.logexport.shared.job.JobError error) {
        Optional<ExportJob> stored = ledger.fail(current, error, nextToken());
        stored.ifPresent(j -> current = j);
        return stored.isPresent();
    }

    /**
     * Marks the continuation for the durable checkpoint as sent: only an optimisation (without the mark, a
     * redelivered old message re-sends it, a harmless duplicate), so a job changed meanwhile is not an error.
     */
    public void markContinuationSent() {
        Checkpoint sent = durable.markContinuationSent();
        ledger.save(current, sent, current.progress(), nextToken()).ifPresent(j -> {
            current = j;
            durable = sent;
        });
    }

    private String nextToken() {
        return JobLedger.writeToken(owner, ++writes);
    }

    private ExportJob orChanged(Optional<ExportJob> stored) {
        if (stored.isPresent()) {
            return stored.get();
        }
        ExportStatus now = ledger.find(current.exportId()).map(ExportJob::status).orElse(ExportStatus.CANCELLED);
        throw new JobChanged(now);
    }
}
