package com.mlplatform.logexport.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.job.JobLedger;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.worker.upload.MultipartWriter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The reconciler's handler against the emulator (moto), provisioned from the SAM template: the sparse index, the
 * re-drive onto the real queue, the conditional FAILED write and the S3 cleanup, with the clock moved forward
 * instead of waiting.
 */
class ExportReconcilerIT {

    private static final String USECASE = "uc-reconcile";

    private EmulatedPlatform platform;
    private AwsClients clients;
    private ExportJobRepository jobs;
    private S3Client s3;
    private SqsClient sqs;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void provision() {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        jobs = new ExportJobRepository(clients.dynamo(), platform.resources().exportsTable());
        s3 = clients.s3();
        sqs = clients.sqs();
    }

    @AfterEach
    void close() {
        s3.close();
        sqs.close();
        clients.close();
    }

    private Map<String, Integer> runReconciler(ReconcilerConfig config, Instant at) {
        var handler = new ExportReconcilerHandler(clients, config, Clock.fixed(at, ZoneOffset.UTC),
                new StructuredLog("export-reconciler", new PrintStream(OutputStream.nullOutputStream())));
        return handler.handleRequest(new ScheduledEvent(), CountdownContext.ofMillis("export-reconciler", 240_000));
    }

    private ReconcilerConfig config(int maxRedrives) {
        var d = ReconcilerConfig.defaults(platform.resources());
        return new ReconcilerConfig(d.exportsTable(), d.queueUrl(), d.bucket(), d.queuedGrace(), d.staleAfter(),
                maxRedrives, d.maxExportAge());
    }

    private ExportJob queued(Instant createdAt) {
        ExportJob job = ExportJob.queued(ExportIds.newExportId(), USECASE, "train-1", "alice@example.com",
                ExportOptions.DEFAULT, null, createdAt);
        assertThat(jobs.create(job)).isTrue();
        return job;
    }

    private static JobLedger ledgerAt(ExportJobRepository jobs, Instant at) {
        return new JobLedger(jobs, Clock.fixed(at, ZoneOffset.UTC));
    }

    private List<String> drainQueue() {
        List<String> bodies = new ArrayList<>();
        while (true) {
            var got = sqs.receiveMessage(r -> r.queueUrl(platform.resources().queueUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return bodies;
            }
            got.forEach(m -> {
                bodies.add(m.body());
                sqs.deleteMessage(r -> r.queueUrl(platform.resources().queueUrl()).receiptHandle(m.receiptHandle()));
            });
        }
    }

    private int openUploads(String prefix) {
        return s3.listMultipartUploads(r -> r.bucket(platform.resources().bucket()).prefix(prefix)).uploads().size();
    }

    private List<String> keys(String prefix) {
        return s3.listObjectsV2(r -> r.bucket(platform.resources().bucket()).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }

    @Test
    void queuedExport_whoseMessageWasNeverSent_getsItsMessageOnTheQueue() {
        ExportJob job = queued(now.minus(Duration.ofMinutes(20)));

        var counts = runReconciler(config(3), now);

        assertThat(drainQueue()).containsExactly(ExportMessage.start(job.exportId()).toJson());
        assertThat(counts).containsEntry("redriven_queued_silent", 1);
        assertThat(jobs.find(job.exportId()).orElseThrow().status()).isEqualTo(ExportStatus.QUEUED);
    }

    @Test
    void stalledExport_pastItsRedrives_isFailed_itsUploadAborted_andItsWorkingObjectDeleted() {
        Instant claimedAt = now.minus(Duration.ofHours(2));
        ExportJob job = queued(claimedAt.minusSeconds(5));
        var claim = (JobLedger.Claimed) ledgerAt(jobs, claimedAt).claim(job.exportId(), 0, "invocation-1/m-1",
                claimedAt.plusSeconds(930));
        String bucket = platform.resources().bucket();
        String key = ExportKeys.objectKey(claim.job());
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromString("first part"));
        s3.putObject(r -> r.bucket(bucket).key(ExportKeys.stashKey(claim.job(), 0)), RequestBody.fromString("stash"));
        Checkpoint withUpload = claim.checkpoint().withUpload(uploadId, MultipartWriter.State.EMPTY, "etag");
        ledgerAt(jobs, claimedAt.plusSeconds(10)).save(claim.job(), withUpload, new Progress(2, 0, 0, 0),
                JobLedger.writeToken("invocation-1/m-1", 1));

        // First run: its worker died (lease expired, silent for longer than stale-after): restarted at hop 0.
        var first = runReconciler(config(1), now.minus(Duration.ofHours(1)));
        assertThat(first).containsEntry("redriven_stalled", 1);
        assertThat(drainQueue()).containsExactly(ExportMessage.start(job.exportId()).toJson());
        // The restart is claimed by another invocation, which dies too, without durable progress.
        Instant reclaimed = now.minus(Duration.ofMinutes(50));
        var again = ledgerAt(jobs, reclaimed).claim(job.exportId(), 0, "invocation-2/m-2", reclaimed.plusSeconds(930));
        assertThat(again).isInstanceOf(JobLedger.Claimed.class);

        var second = runReconciler(config(1), now);

        ExportJob failed = jobs.find(job.exportId()).orElseThrow();
        assertThat(failed.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(failed.error().message())
                .isEqualTo("The export stopped making progress after 1 restart; please start it again.");
        assertThat(second).containsEntry("failed_stalled_too_often", 1);
        assertThat(openUploads(ExportKeys.EXPORTS)).as("upload aborted").isZero();
        assertThat(keys(ExportKeys.WORK)).as("working object deleted").isEmpty();
        assertThat(drainQueue()).as("no more restarts").isEmpty();
    }

    @Test
    void orphanedUpload_andWorkingObject_ofAFinishedExport_areRemoved_onceOlderThanAnyExportMayLive() {
        String bucket = platform.resources().bucket();
        ExportJob finished = queued(now);
        jobs.finishIfActive(finished.exportId(), ExportStatus.FAILED,
                new JobError(ErrorCode.INTERNAL, "failed without cleaning up", null), now);
        String key = ExportKeys.exportPrefix(USECASE, finished.exportId()) + "train-1.log";
        s3.createMultipartUpload(r -> r.bucket(bucket).key(key));
        s3.putObject(r -> r.bucket(bucket).key(ExportKeys.workPrefix(USECASE, finished.exportId())
                + "checkpoint-parts"), RequestBody.fromString("stash"));

        // moto reports every upload as initiated in 2010 (a fixed value in its ListMultipartUploads), so only the
        // working object's age can be seen here; ReconcilerTest covers the uploads' age bound.
        var early = runReconciler(config(3), now.plus(Duration.ofHours(24)));
        assertThat(keys(ExportKeys.WORK)).as("kept while an export could still own it").hasSize(1);

        var late = runReconciler(config(3), now.plus(Duration.ofHours(26)));

        assertThat(openUploads(ExportKeys.EXPORTS)).isZero();
        assertThat(keys(ExportKeys.WORK)).isEmpty();
        assertThat(late).containsEntry("orphan_work_deleted", 1);
        assertThat(early.getOrDefault("orphan_uploads_aborted", 0) + late.getOrDefault("orphan_uploads_aborted", 0))
                .as("uploads aborted over both runs").isEqualTo(1);
    }

    @Test
    void theActiveIndex_holdsExactlyTheQueuedAndRunningExports() {
        ExportJob waiting = queued(now);
        ExportJob running = queued(now);
        ledgerAt(jobs, now).claim(running.exportId(), 0, "invocation-1/m-1", now.plusSeconds(930));
        ExportJob cancelled = queued(now);
        jobs.finishIfActive(cancelled.exportId(), ExportStatus.CANCELLED, null, now);
        ExportJob succeeded = queued(now);
        var claimed = (JobLedger.Claimed) ledgerAt(jobs, now).claim(succeeded.exportId(), 0, "invocation-2/m-2",
                now.plusSeconds(930));
        ledgerAt(jobs, now).succeed(claimed.job(), new ExportResult("b", "k", "f.log", "text/plain", 1),
                Progress.NONE, JobLedger.writeToken("invocation-2/m-2", 1));
        runReconciler(config(3), now.plus(Duration.ofHours(1))); // writes re-drive marks, which stay out too

        var active = new DynamoActiveExports(clients.dynamo(), platform.resources().exportsTable()).all();

        assertThat(active).extracting(ActiveExports.Entry::exportId)
                .containsExactlyInAnyOrder(waiting.exportId(), running.exportId());
        assertThat(active).filteredOn(e -> e.exportId().equals(running.exportId()))
                .extracting(ActiveExports.Entry::status).containsExactly(ExportStatus.RUNNING);
    }
}
