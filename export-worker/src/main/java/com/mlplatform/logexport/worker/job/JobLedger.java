package com.mlplatform.logexport.worker.job;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.checkpoint.Lease;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The worker's view of the exports table: claiming a job for one delivery, saving checkpoints and progress,
 * finishing. Every write is a conditional write through {@link ExportJobRepository} on the version the worker last
 * read, so whatever else happens concurrently (a duplicate delivery, a cancel from the API) is noticed at the next
 * write, never overwritten.
 *
 * <p>Every write carries a write token, unique to this delivery and this write ({@code owner#sequence}, the claim
 * being sequence 0). When the condition fails, the record is read again: if it holds the version this write would
 * have made and this write's token, the write did commit — its response was lost and the SDK's retry ran into the
 * condition the first attempt had already satisfied — and it counts as done, not as someone else's change.
 */
public final class JobLedger {

    /** The outcome of trying to claim a job for one message. */
    public sealed interface Claim permits Claimed, Skipped, AlreadyFinished, ResendContinuation {
    }

    /** The job is finished (perhaps cancelled between two invocations): its leftovers may need cleaning up. */
    public record AlreadyFinished(ExportJob job, Checkpoint checkpoint) implements Claim {
    }

    /** This delivery holds the lease and may work on the job. */
    public record Claimed(ExportJob job, Checkpoint checkpoint) implements Claim {
    }

    /** Nothing to do: the job is finished, leased by another delivery, or the message is stale. */
    public record Skipped(String reason) implements Claim {
    }

    /**
     * The previous invocation's message came back although its continuation was never marked as sent (the invocation
     * died between saving the checkpoint and sending it): send the continuation now, or the job would stall.
     */
    public record ResendContinuation(ExportJob job, Checkpoint checkpoint) implements Claim {
    }

    private static final int CLAIM_ATTEMPTS = 5;

    private final JobRecords records;
    private final Clock clock;

    public JobLedger(ExportJobRepository repository, Clock clock) {
        this(JobRecords.of(repository), clock);
    }

    public JobLedger(JobRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    public Optional<ExportJob> find(String exportId) {
        return records.find(exportId).map(ExportJobRepository.Stored::job);
    }

    /** The token of a delivery's {@code sequence}-th write; the claim is 0. */
    public static String writeToken(String owner, int sequence) {
        return owner + "#" + sequence;
    }

    public Claim claim(String exportId, int messageContinuation, String owner, Instant leaseUntil) {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            Optional<ExportJob> found = find(exportId);
            if (found.isEmpty()) {
                return new Skipped("no such export");
            }
            ExportJob job = found.get();
            if (job.status().isFinished()) {
                return new AlreadyFinished(job, CheckpointCodec.decode(job.checkpoint()));
            }
            Instant now = clock.instant();
            Checkpoint current = CheckpointCodec.decode(job.checkpoint());
            Checkpoint cp = current == null ? Checkpoint.initial(now.toEpochMilli()) : current;
            if (messageContinuation != cp.continuation()) {
                boolean lost = messageContinuation == cp.continuation() - 1 && !cp.continuationSent()
                        && (cp.lease() == null || !cp.lease().isHeldAt(now));
                if (lost) {
                    return new ResendContinuation(job, cp);
                }
                return new Skipped("stale message: hop " + messageContinuation + ", job expects hop "
                        + cp.continuation());
            }
            if (cp.lease() != null && cp.lease().isHeldAt(now) && !cp.lease().owner().equals(owner)) {
                return new Skipped("another delivery holds the lease");
            }
            Checkpoint leased = cp.withLease(new Lease(owner, leaseUntil.toEpochMilli()));
            // One token for every attempt: each starts from a newly read version, which the check includes.
            Optional<ExportJob> stored = write(job, ExportStatus.RUNNING, leased, job.progress(), null, null,
                    writeToken(owner, 0));
            if (stored.isPresent()) {
                return new Claimed(stored.get(), leased);
            }
            // Someone wrote in between (a duplicate delivery, a cancel): read again and decide again.
        }
        return new Skipped("lost the race for the job " + CLAIM_ATTEMPTS + " times");
    }

    /** Saves a checkpoint and progress; empty if the job changed meanwhile (cancelled, or the lease was taken). */
    public Optional<ExportJob> save(ExportJob current, Checkpoint checkpoint, Progress progress, String token) {
        return write(current, ExportStatus.RUNNING, checkpoint, progress, null, null, token);
    }

    public Optional<ExportJob> succeed(ExportJob current, ExportResult result, Progress progress, String token) {
        return write(current, ExportStatus.SUCCEEDED, null, progress, null, result, token);
    }

    /** Records FAILED, keeping the checkpoint: its upload id is what a late clean-up needs. */
    public Optional<ExportJob> fail(ExportJob current, JobError error, String token) {
        return write(current, ExportStatus.FAILED, CheckpointCodec.decode(current.checkpoint()), current.progress(),
                error, null, token);
    }

    /** Fails a job by id whatever its version (used when its message cannot even be read). */
    public boolean failIfActive(String exportId, JobError error) {
        return records.finishIfActive(exportId, ExportStatus.FAILED, error, clock.instant());
    }

    private Optional<ExportJob> write(ExportJob current, ExportStatus status, Checkpoint checkpoint,
                                      Progress progress, JobError error, ExportResult result, String token) {
        ExportJob updated = new ExportJob(current.exportId(), current.usecaseId(), current.trainingId(),
                current.requestedBy(), current.options(), status, current.createdAt(), clock.instant(),
                current.batchId(), progress, error, result,
                checkpoint == null ? null : CheckpointCodec.encode(checkpoint), current.version());
        Optional<ExportJob> stored = records.replace(current, updated, token);
        return stored.isPresent() ? stored : ownWrite(current, token);
    }

    /** The condition failed: the record as stored, if it is this very write (committed, response lost). */
    private Optional<ExportJob> ownWrite(ExportJob current, String token) {
        return records.find(current.exportId())
                .filter(s -> s.job().version() == current.version() + 1 && token.equals(s.writeToken()))
                .map(ExportJobRepository.Stored::job);
    }
}
