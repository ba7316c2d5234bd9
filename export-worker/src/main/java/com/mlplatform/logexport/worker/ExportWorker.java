package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.failure.AwsFailures;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.failure.OutOfTime;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.job.JobLedger;
import com.mlplatform.logexport.worker.job.LeasedJob;
import com.mlplatform.logexport.worker.logs.CloudWatchLogSource;
import com.mlplatform.logexport.worker.role.CrossAccountRole;
import com.mlplatform.logexport.worker.run.ExportHop;
import com.mlplatform.logexport.worker.run.HopResult;
import com.mlplatform.logexport.worker.run.JobChanged;
import com.mlplatform.logexport.worker.time.Budget;
import com.mlplatform.logexport.worker.upload.S3MultipartStore;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Handles one SQS message: claims the job (lease), runs one hop of the export, and records what happened —
 * SUCCEEDED, FAILED with a user-facing error, or a checkpoint plus a continuation message. Returns whether SQS
 * should redeliver the message ({@link Outcome#RETRY}) — only for messages that cannot be read, and for failures
 * to even record a failure.
 */
public final class ExportWorker {

    public enum Outcome { DONE, RETRY }

    /** A lease outlives its invocation's hard deadline by this much before another delivery may take over. */
    static final Duration LEASE_GRACE = Duration.ofSeconds(30);

    private final AwsClients clients;
    private final JobLedger ledger;
    private final UseCaseRegistry registry;
    private final StsClient sts;
    private final S3Client s3;
    private final SqsClient sqs;
    private final WorkerConfig config;
    private final Clock clock;
    private final StructuredLog log;

    public ExportWorker(AwsClients clients, JobLedger ledger, UseCaseRegistry registry, StsClient sts, S3Client s3,
                        SqsClient sqs, WorkerConfig config, Clock clock, StructuredLog log) {
        this.clients = clients;
        this.ledger = ledger;
        this.registry = registry;
        this.sts = sts;
        this.s3 = s3;
        this.sqs = sqs;
        this.config = config;
        this.clock = clock;
        this.log = log;
    }

    /**
     * @param mayDefer true for a message after the first of its batch: if earlier ones used up the time, it is put
     *                 back on the queue rather than started. The first message always gets to work, however small
     *                 the budget (each hop makes progress), so a short Lambda timeout cannot loop a message forever.
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
            send(message);
            log.warn("message_requeued", "messageId", messageId, "exportId", message.exportId());
            return Outcome.DONE;
        }
        String owner = invocationId + "/" + messageId;
        JobLedger.Claim claim = ledger.claim(message.exportId(), message.continuation(), owner,
                budget.hard().at().plus(LEASE_GRACE));
        if (claim instanceof JobLedger.Skipped skipped) {
            log.info("message_skipped", "messageId", messageId, "exportId", message.exportId(),
                    "reason", skipped.reason());
            return Outcome.DONE;
        }
        if (claim instanceof JobLedger.AlreadyFinished finished) {
            log.info("message_skipped", "messageId", messageId, "exportId", message.exportId(),
                    "reason", "export already " + finished.job().status());
            if (finished.job().status() != ExportStatus.SUCCEEDED) {
                cleanUp(finished.job(), finished.checkpoint(), budget);
            }
            return Outcome.DONE;
        }
        if (claim instanceof JobLedger.ResendContinuation resend) {
            sendContinuation(resend.job(), resend.checkpoint(), message.next());
            log.warn("continuation_resent", "exportId", message.exportId(), "hop", resend.checkpoint().hop());
            return Outcome.DONE;
        }
        JobLedger.Claimed claimed = (JobLedger.Claimed) claim;
        return run(message, claimed.job(), claimed.checkpoint(), budget);
    }

    private Outcome run(ExportMessage message, ExportJob job, Checkpoint checkpoint, Budget budget) {
        String correlationId = "err-" + UUID.randomUUID();
        LeasedJob leased = new LeasedJob(ledger, clock, config.progressInterval(), job, checkpoint);
        long started = clock.millis();
        Checkpoint latest = checkpoint;
        try {
            HopResult result = runHop(leased, checkpoint, budget);
            if (result instanceof HopResult.Finished f) {
                succeed(leased, f, budget);
                log.info("export_succeeded", "exportId", job.exportId(), "hop", checkpoint.hop(),
                        "events", f.progress().events(), "streams", f.progress().streamsTotal(),
                        "sizeBytes", f.result().sizeBytes(), "hopMillis", clock.millis() - started,
                        "totalMillis", clock.millis() - checkpoint.startedAt());
            } else if (result instanceof HopResult.Paused p) {
                latest = p.checkpoint();
                Checkpoint next = p.checkpoint().nextHop();
                leased.persist(next, p.progress());
                sendContinuation(leased.current(), next, message.next());
                log.info("export_paused", "exportId", job.exportId(), "hop", checkpoint.hop(),
                        "events", p.progress().events(), "bytes", p.progress().bytes(),
                        "hopMillis", clock.millis() - started);
            } else {
                log.info("export_cancelled", "exportId", job.exportId(), "hop", checkpoint.hop());
            }
            return Outcome.DONE;
        } catch (JobFailure e) {
            return fail(leased, e.code(), e.userMessage(), correlationId, e);
        } catch (JobChanged e) {
            log.info("export_stopped", "exportId", job.exportId(), "reason", "job is now " + e.status());
            if (e.cancelled()) {
                cleanUp(job, latest, budget); // cancelled while this hop was saving its checkpoint
            }
            return Outcome.DONE;
        } catch (RuntimeException e) {
            return fail(leased, ErrorCode.INTERNAL, "The export failed unexpectedly. Quote reference "
                    + correlationId + " if you contact support.", correlationId, e);
        }
    }

    /**
     * Records SUCCEEDED. If the user cancelled in the moment between completing the upload and this write, the
     * cancel wins: the object just completed is deleted, so a cancelled export leaves nothing behind.
     */
    private void succeed(LeasedJob leased, HopResult.Finished f, Budget budget) {
        try {
            leased.succeed(f.result(), f.progress());
        } catch (JobChanged e) {
            if (e.cancelled()) {
                new S3MultipartStore(s3, config.resources().bucket(), budget.hard()).delete(f.result().key());
            }
            throw e;
        }
    }

    private HopResult runHop(LeasedJob leased, Checkpoint checkpoint, Budget budget) {
        ExportJob job = leased.current();
        UseCase useCase = registry.find(job.usecaseId()).orElseThrow(() -> JobFailure.invalidRequest(
                "Use case '" + job.usecaseId() + "' is not registered with the platform."));
        CrossAccountRole role = new CrossAccountRole(sts::assumeRole, useCase, job.requestedBy(), clock,
                config.roleSessionDuration());
        Retrier.RetryListener listener = (failure, attempt, sleep) -> log.warn("backoff", "exportId",
                job.exportId(), "operation", failure.operation(), "kind", failure.kind().name(),
                "attempt", attempt, "sleepMillis", sleep);
        Runnable refresh = () -> {
            role.refresh();
            log.info("credentials_refreshed", "exportId", job.exportId());
        };
        Retrier work = Retrier.withDefaults(budget.work(), refresh, listener);
        Retrier pause = Retrier.withDefaults(budget.hard(), refresh, listener);
        try {
            // Assume the role up front: its errors (trust policy, external id) surface here, not inside the SDK.
            work.call(role::resolveCredentials);
            try (CloudWatchLogsClient logs = clients.logs(role, Region.of(useCase.region()))) {
                var source = new CloudWatchLogSource(logs, useCase.logGroup(), job.trainingId(), role.role(),
                        budget.work());
                var store = new S3MultipartStore(s3, config.resources().bucket(), budget.hard());
                var hop = new ExportHop(job, useCase.logGroup(), source, store, config.resources().bucket(),
                        config.partSizes(), work, pause, leased);
                return hop.run(checkpoint);
            }
        } catch (OutOfTime e) {
            // Out of time before the merge began (throttled by STS, or while listing streams): continue from the
            // last durable checkpoint in a fresh invocation. Never a failure while time remains.
            return new HopResult.Paused(leased.checkpoint(), leased.current().progress());
        }
    }

    /**
     * A job cancelled (or failed by the API) while it had an upload in progress: abort the upload and delete the
     * working object, so no orphan parts remain. Idempotent; the bucket's lifecycle rule is the backstop.
     */
    private void cleanUp(ExportJob job, Checkpoint cp, Budget budget) {
        if (cp == null || cp.uploadId() == null) {
            return;
        }
        var store = new S3MultipartStore(s3, config.resources().bucket(), budget.hard());
        try {
            store.abort(ExportHop.objectKey(job), cp.uploadId());
            store.delete(ExportHop.stashKey(job));
            log.info("leftovers_cleaned", "exportId", job.exportId(), "status", job.status().name());
        } catch (RuntimeException e) {
            log.warn("leftovers_not_cleaned", "exportId", job.exportId(), "cause", AwsFailures.describe(e));
        }
    }

    private Outcome fail(LeasedJob leased, ErrorCode code, String userMessage, String correlationId,
                         RuntimeException cause) {
        String exportId = leased.current().exportId();
        log.error("export_failed", "exportId", exportId, "code", code.name(), "correlationId", correlationId,
                "cause", AwsFailures.describe(cause));
        try {
            leased.fail(new JobError(code, userMessage, correlationId));
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
                ledger.failIfActive(exportId, new JobError(ErrorCode.INVALID_REQUEST,
                        "The export request could not be read by the worker (" + e.getMessage()
                                + "). Start the export again.", correlationId));
            } catch (RuntimeException ex) {
                log.error("fail_not_recorded", "exportId", exportId, "cause", AwsFailures.describe(ex));
            }
        }
        // Reported as failed: SQS redelivers it a few times, then the dead-letter queue keeps it for inspection.
        return Outcome.RETRY;
    }

    private void sendContinuation(ExportJob job, Checkpoint next, ExportMessage continuation) {
        send(continuation);
        try {
            ledger.save(job, next.markContinuationSent(), job.progress());
        } catch (RuntimeException e) {
            // Only an optimisation: without the mark, a redelivered old message re-sends (a harmless duplicate).
            log.warn("continuation_mark_failed", "exportId", job.exportId(), "cause", AwsFailures.describe(e));
        }
    }

    private void send(ExportMessage message) {
        sqs.sendMessage(r -> r.queueUrl(config.resources().queueUrl()).messageBody(message.toJson()));
    }
}
