package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.emulator.lambda.SteppingClock;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An export interrupted between two of its invocations: by a permanent failure on a later continuation, or by its
 * multipart upload vanishing (the bucket's lifecycle rule, an operator). Either way nothing may be left behind,
 * and a vanished upload must not cost the export.
 */
class InterruptedExportIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();
    private static final String TRAINING = "interrupted-1";
    private static final int HOSTS = 2;
    private static final int EVENTS_PER_HOST = 3_500;

    @BeforeAll
    static void seed() {
        long t0 = System.currentTimeMillis() - 3_600_000;
        String padding = "q".repeat(900);
        try (var seeder = fx.seeder()) {
            for (int h = 1; h <= HOSTS; h++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < EVENTS_PER_HOST; i++) {
                    events.add(new Event(t0 + i * 10L + h, "host " + h + " line " + i + " " + padding));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, TRAINING + "/algo-" + h + "-1700000000", events);
            }
        }
    }

    /**
     * One invocation whose clock gains 10 s a reading with 10 s of budget past the margin: it makes its minimal
     * progress and pauses. Returns the continuation's message.
     */
    private static String firstInvocationPauses(ExportJob job) {
        ExportWorkerHandler pausing = new ExportWorkerHandler(WorkerSetup.of(fx.clients,
                fx.config().withSafetyMargin(Duration.ofSeconds(1))).withClock(new SteppingClock(Duration.ofSeconds(10))));
        pausing.handleRequest(WorkerFixture.start(job), CountdownContext.ofMillis("export-worker", 11_000));
        List<String> continuation = fx.drainQueue();
        assertThat(continuation).hasSize(1);
        assertThat(fx.openUploads(job)).as("the paused export's upload").isEqualTo(1);
        return continuation.get(0);
    }

    private static Checkpoint checkpoint(ExportJob job) {
        return CheckpointCodec.decode(fx.job(job.exportId()).checkpoint());
    }

    private static List<String> workObjects(ExportJob job) {
        return fx.keys().stream().filter(k -> k.startsWith(ExportKeys.workPrefix(job.usecaseId(), job.exportId())))
                .toList();
    }

    @Test
    void useCaseRemoved_beforeALaterContinuation_failsTheExport_andLeavesNothingBehind() {
        ExportJob job = fx.createJob(TRAINING, ExportOptions.DEFAULT);
        String continuation = firstInvocationPauses(job);
        String uploadId = checkpoint(job).uploadId();
        var registryKey = Map.of("usecaseId", AttributeValue.fromS(WorkerFixture.USECASE));
        var entry = fx.clients.dynamo().getItem(r -> r.tableName(fx.platform.resources().usecasesTable())
                .key(registryKey)).item();
        fx.clients.dynamo().deleteItem(r -> r.tableName(fx.platform.resources().usecasesTable()).key(registryKey));
        try {
            fx.handler().handleRequest(WorkerFixture.event(continuation),
                    CountdownContext.ofMillis("export-worker", 900_000));
        } finally {
            fx.clients.dynamo().putItem(r -> r.tableName(fx.platform.resources().usecasesTable()).item(entry));
        }

        ExportJob failed = fx.job(job.exportId());
        assertThat(failed.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(fx.openUploads(job)).as("upload aborted").isZero();
        assertThat(workObjects(job)).as("working object deleted").isEmpty();
        assertThat(CheckpointCodec.decode(failed.checkpoint()).uploadId()).as("the upload id is kept on record")
                .isEqualTo(uploadId);
    }

    @Test
    void uploadAbortedBetweenContinuations_isStartedAgain_andTheFileIsByteIdentical() {
        ExportJob job = fx.createJob(TRAINING, ExportOptions.DEFAULT);
        fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 900_000);
        String key = fx.job(job.exportId()).result().key();
        byte[] uninterrupted = fx.object(key);
        assertThat(uninterrupted.length).as("more than one part").isGreaterThan(5 * 1024 * 1024);
        // The same export again from scratch: object and record reset to what the request API created.
        fx.s3.deleteObject(r -> r.bucket(fx.platform.resources().bucket()).key(key));
        fx.clients.dynamo().deleteItem(r -> r.tableName(fx.platform.resources().exportsTable())
                .key(Map.of("exportId", AttributeValue.fromS(job.exportId()))));
        fx.jobs.create(job);

        String continuation = firstInvocationPauses(job);
        String bucket = fx.platform.resources().bucket();
        String gone = checkpoint(job).uploadId();
        fx.s3.abortMultipartUpload(r -> r.bucket(bucket).key(ExportKeys.objectKey(job)).uploadId(gone));
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();

        fx.runToCompletion(fx.handler(fx.config(), log), WorkerFixture.event(continuation), 900_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(fx.object(done.result().key())).as("byte-identical to an uninterrupted run")
                .isEqualTo(uninterrupted);
        assertThat(log.count("upload_restarted")).isEqualTo(1);
        assertThat(fx.openUploads(job)).isZero();
        assertThat(workObjects(job)).isEmpty();
    }
}
