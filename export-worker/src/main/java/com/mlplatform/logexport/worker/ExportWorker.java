package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.events.WorkerCompletions;
import com.mlplatform.logexport.worker.failure.AwsFailures;
import com.mlplatform.logexport.worker.failure.Disposition;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.worker.invocation.InvocationResult;
import com.mlplatform.logexport.worker.invocation.JobChanged;
import com.mlplatform.logexport.worker.invocation.WorkSweep;
import com.mlplatform.logexport.worker.job.JobLedger;
import com.mlplatform.logexport.worker.job.LeasedJob;
import com.mlplatform.logexport.worker.time.Budget;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Handles one SQS message: claims the job (lease), runs one export invocation, and records what happened —
 * SUCCEEDED, FAILED with a user-facing error, or a checkpoint plus a continuation message. Returns whether SQS
 * should redeliver the message ({@link Outcome#RETRY}): for messages that cannot be read, for failures to even
 * record a failure, and for transient failures of the platform's services ({@link Disposition.Retry}).
 */
public final class ExportWorker {

    public enum Outcome { DONE, RETRY }

    /** A lease outlives its invocation's hard deadline by this much before another delivery may take over. */
    static final Duration LEASE_GRACE = Duration.ofSeconds(30);

    private final Platform platform;
    private final JobLedger ledger;
    private final ExportRunner runner;
    private final ArchiveRunner archives;
    private final WorkerConfig config;
    private final Clock clock;
    private final StructuredLog log;
    private final WorkerCompletions completions;

    public ExportWorker(Platform platform, WorkerSetup setup) {
        this.platform = platform;
        this.ledger = platform.ledger();
        this.runner = new ExportRunner(platform, setup);
        this.archives = new ArchiveRunner(platform, setup);
        this.config = setup.config();
        this.clock = setup.clock();
        this.log = setup.log();
        this.completions = new WorkerCompletions(setup.completions());
    }

    /**
     * @param mayDefer true for a message after the first of its batch: if earlier ones used up the time, it is put
     *                 back on the queue rather than started. The first message always gets to work, however small
     *                 the budget (each invocation makes progress), so a short Lambda timeout cannot loop a message
     *                 forever.
     */
    public Outcome handle(String messageId, String body, Budget budget, String invocationId, boolean mayDefer) {
        ExportMessage message;
        try {
            message = ExportMessage.parse(body);
        } catch (ExportMessage.MalformedMessageException e) {
            return malformed(messageId, e);
        }
        log.info("message_received", "messageId", messageId, "exportId", message.exportId(),
                "continuation", message.continuation());
        if (mayDefer && budget.work().isPassed()) {
            // An earlier message of this batch used the time: hand this one to a fresh invocation.
            platform.queue().send(message);
            log.warn("message_requeued", "messageId", messageId, "exportId", message.exportId());
            return Outcome.DONE;
        }
        Delivery delivery = new Delivery(messageId, message, invocationId + "/" + messageId, budget,
                platform.store(budget.hard()));
        JobLedger.Claim claim = ledger.claim(message.exportId(), message.continuation(), delivery.owner(),
                budget.hard().at().plus(LEASE_GRACE));
        if (claim instanceof JobLedger.Skipped skipped) {
            return skipped(delivery, skipped.reason());
        }
        if (claim instanceof JobLedger.AlreadyFinished finished) {
            skipped(delivery, "export already " + finished.job().status());
            completions.alreadyFinished(finished.job());
            if (finished.job().status() != ExportStatus.SUCCEEDED) {
                cleanUp(finished.job(), finished.checkpoint(), delivery);
            }
            return Outcome.DONE;
        }
        if (claim instanceof JobLedger.ResendContinuation resend) {
            sendContinuation(lease(delivery, resend.job(), resend.checkpoint()), message.next());
            log.warn("continuation_resent", "exportId", message.exportId(), "hop", resend.checkpoint().continuation());
            return Outcome.DONE;
        }
        JobLedger.Claimed claimed = (JobLedger.Claimed) claim;
        return run(delivery, claimed.job(), claimed.checkpoint());
    }

    private Outcome skipped(Delivery delivery, String reason) {
        log.info("message_skipped", "messageId", delivery.messageId(), "exportId", delivery.message().exportId(),
                "reason", reason);
        return Outcome.DONE;
    }

    private Outcome run(Delivery delivery, ExportJob job, Checkpoint checkpoint) {
        String correlationId = "err-" + UUID.randomUUID();
        LeasedJob leased = lease(delivery, job, checkpoint);
        long started = clock.millis();
        Checkpoint latest = checkpoint;
        try {
            // A batch's archive is a job of the same table, leased, checkpointed and re-driven like an export.
            InvocationResult result = ArchiveIds.isArchive(job.exportId())
                    ? archives.run(leased, checkpoint, delivery) : runner.run(leased, checkpoint, delivery);
            if (result instanceof InvocationResult.Finished f) {
                succeed(leased, f, delivery);
                completions.finished(leased.current(), checkpoint);
                log.info("export_succeeded", "exportId", job.exportId(), "hop", checkpoint.continuation(),
                        "events", f.progress().events(), "streams", f.progress().streamsTotal(),
                        "sizeBytes", f.result().sizeBytes(), "hopMillis", clock.millis() - started,
                        "totalMillis", clock.millis() - checkpoint.startedAt());
            } else if (result instanceof InvocationResult.Paused p) {
                latest = p.checkpoint();
                Checkpoint next = p.checkpoint().nextContinuation();
                leased.persist(next, p.progress());
                sendContinuation(leased, delivery.message().next());
                log.info("export_paused", "exportId", job.exportId(), "hop", checkpoint.continuation(),
                        "events", p.progress().events(), "bytes", p.progress().bytes(),
                        "hopMillis", clock.millis() - started);
            } else {
                log.info("export_cancelled", "exportId", job.exportId(), "hop", checkpoint.continuation());
            }
            return Outcome.DONE;
        } catch (JobChanged e) {
            log.info("export_stopped", "exportId", job.exportId(), "reason", "job is now " + e.status());
            if (e.cancelled()) {
                cleanUp(job, latest, delivery); // cancelled while this invocation was saving its checkpoint
            }
            if (e.status().isFinished()) {
                sweepFinished(job, delivery);
            }
            return Outcome.DONE;
        } catch (RuntimeException e) {
            Disposition disposition = Disposition.of(e);
            if (disposition instanceof Disposition.Retry retry) {
                return retry(delivery, retry, e);
            }
            if (disposition instanceof Disposition.Fail f) {
                return fail(leased, delivery, f.code(), f.userMessage(), correlationId, e);
            }
            return fail(leased, delivery, ErrorCode.INTERNAL, "The export failed unexpectedly. Quote reference "
                    + correlationId + " if you contact support.", correlationId, e);
        }
    }

    /**
     * A platform service (DynamoDB, SQS, S3, STS) failed transiently past every retry: SQS delivers the message
     * again after its visibility timeout, when this delivery's lease has run out, and the export carries on from
     * its last durable checkpoint (or re-sends the continuation that could not be sent). Nothing is cleaned up.
     */
    private Outcome retry(Delivery delivery, Disposition.Retry retry, RuntimeException cause) {
        log.warn("export_retried", "messageId", delivery.messageId(), "exportId", delivery.message().exportId(),
                "kind", retry.kind().name(), "cause", AwsFailures.describe(cause));
        return Outcome.RETRY;
    }

    /**
     * Records SUCCEEDED. If the user cancelled in the moment between completing the upload and this write, the
     * cancel wins: the object just completed is deleted, so a cancelled export leaves nothing behind.
     */
    private void succeed(LeasedJob leased, InvocationResult.Finished f, Delivery delivery) {
        try {
            leased.succeed(f.result(), f.progress());
        } catch (JobChanged e) {
            if (e.cancelled()) {
                delivery.store().delete(f.result().key());
            }
            throw e;
        }
    }

    /**
     * A job cancelled (or failed by the API) while it had an upload in progress: abort the upload and delete the
     * working object, so no orphan parts remain. Idempotent; the bucket's lifecycle rule is the backstop.
     */
    private void cleanUp(ExportJob job, Checkpoint cp, Delivery delivery) {
        if (cp == null || cp.uploadId() == null) {
            return;
        }
        try {
            delivery.store().abort(ExportKeys.objectKey(job), cp.uploadId());
            if (cp.stashEtag() != null) {
                delivery.store().delete(ExportKeys.stashKey(job, cp.upload().bodyBytes()));
            }
            log.info("leftovers_cleaned", "exportId", job.exportId(), "status", job.status().name());
        } catch (RuntimeException e) {
            log.warn("leftovers_not_cleaned", "exportId", job.exportId(), "cause", AwsFailures.describe(e));
        }
    }

    /**
     * The export was finished by someone else while this delivery worked: a delivery that outlived its lease (a
     * stall past the lease's grace, which Lambda's timeout makes rare but a paused or starved container does not
     * rule out) may have created an upload or written a working object after the export's last delivery swept it
     * clean. Nobody works on a finished export, so everything under its prefixes is garbage: removed now rather
     * than left to the reconciler's orphan sweep a day later. The completed object is not touched.
     */
    private void sweepFinished(ExportJob job, Delivery delivery) {
        new WorkSweep(job, delivery.store(), Retrier.withDefaults(delivery.budget().hard(), () -> { },
                Retrier.RetryListener.NONE)).removeLeftovers();
        log.info("leftovers_swept", "exportId", job.exportId());
    }

    /**
     * Cleans up first, then records FAILED: every failure, on any continuation (a use case removed, a role no
     * longer assumable before the merge even starts), aborts the upload and deletes the working object. The FAILED
     * record keeps the checkpoint, so the upload id survives a clean-up that did not go through.
     */
    private Outcome fail(LeasedJob leased, Delivery delivery, ErrorCode code, String userMessage,
                         String correlationId, RuntimeException cause) {
        String exportId = leased.current().exportId();
        log.error("export_failed", "exportId", exportId, "code", code.name(), "correlationId", correlationId,
                "cause", AwsFailures.describe(cause));
        cleanUp(leased.current(), leased.checkpoint(), delivery);
        try {
            if (leased.fail(new JobError(code, userMessage, correlationId))) {
                completions.finished(leased.current(), leased.checkpoint());
            }
            return Outcome.DONE;
        } catch (RuntimeException e) {
            log.error("fail_not_recorded", "exportId", exportId, "correlationId", correlationId,
                    "cause", AwsFailures.describe(e));
            return Outcome.RETRY;
        }
    }

    private Outcome malformed(String messageId, ExportMessage.MalformedMessageException e) {
        String exportId = e.exportId() != null && ExportIds.EXPORT_ID.matcher(e.exportId()).matches()
                ? e.exportId() : null;
        String correlationId = "err-" + UUID.randomUUID();
        log.error("message_malformed", "messageId", messageId, "reason", e.getMessage(), "exportId", exportId,
                "correlationId", correlationId);
        if (exportId != null) {
            try {
                if (ledger.failIfActive(exportId, new JobError(ErrorCode.INVALID_REQUEST,
                        "The export request could not be read by the worker (" + e.getMessage()
                                + "). Start the export again.", correlationId))) {
                    completions.failedUnread(ledger.find(exportId));
                }
            } catch (RuntimeException ex) {
                log.error("fail_not_recorded", "exportId", exportId, "cause", AwsFailures.describe(ex));
            }
        }
        // Reported as failed: SQS redelivers it a few times, then the dead-letter queue keeps it for inspection.
        return Outcome.RETRY;
    }

    private LeasedJob lease(Delivery delivery, ExportJob job, Checkpoint checkpoint) {
        return new LeasedJob(ledger, clock, config.progressInterval(), job, checkpoint, delivery.owner());
    }

    /** Sends the message for the durable checkpoint's continuation, then marks it as sent. */
    private void sendContinuation(LeasedJob leased, ExportMessage continuation) {
        platform.queue().send(continuation);
        try {
            leased.markContinuationSent();
        } catch (RuntimeException e) {
            // Only an optimisation: without the mark, a redelivered old message re-sends (a harmless duplicate).
            log.warn("continuation_mark_failed", "exportId", leased.current().exportId(),
                    "cause", AwsFailures.describe(e));
        }
    }
}
