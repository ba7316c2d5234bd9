package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.lambda.SteppingClock;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.worker.testing.ExportFileParser;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@code "compression": "gzip"} on the emulator: a multi-part gzip export (over 5 MiB compressed, so the held-back
 * part 1 and at least one more part) resumed over many invocations decompresses to exactly the uncompressed export,
 * and the object is named {@code .log.gz} and served as {@code application/gzip}.
 */
class GzipContinuationIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();
    private static final int HOSTS = 3;
    private static final String TRAINING = "llm-gzip-cont-1";
    private static final int EVENTS_PER_HOST = 15_000;

    /** Messages of random base64 barely compress, so ~11 MB of text is still over 5 MiB gzipped. */
    @BeforeAll
    static void seedJob() {
        long t0 = System.currentTimeMillis() - 6 * 3_600_000L;
        Random random = new Random(7);
        try (var seeder = fx.seeder()) {
            for (int h = 1; h <= HOSTS; h++) {
                List<Event> events = new ArrayList<>(EVENTS_PER_HOST);
                for (int i = 0; i < EVENTS_PER_HOST; i++) {
                    byte[] noise = new byte[120 + random.nextInt(60)];
                    random.nextBytes(noise);
                    events.add(new Event(t0 + i * 50L + h % 2, "[rank " + h + "] step " + i + " grad="
                            + Base64.getEncoder().encodeToString(noise)));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, TRAINING + "/algo-" + h + "-1700000000", events);
            }
        }
    }

    @Test
    void gzipExport_resumedOverManyInvocations_decompressesToThePlainExport() {
        ExportJob job = fx.createJob(TRAINING,
                new ExportOptions(ExportFormat.TEXT, null, null, ExportCompression.GZIP));
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        ExportWorkerHandler stepping = new ExportWorkerHandler(WorkerSetup.of(fx.clients,
                fx.config().withSafetyMargin(Duration.ofSeconds(2)))
                .withClock(new SteppingClock(Duration.ofSeconds(1))).withLog(log.log()));
        int invocations = fx.runToCompletion(stepping, WorkerFixture.start(job), 60_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        byte[] plain = plainTwin(job);
        assertThat(invocations).as("several continuations").isGreaterThanOrEqualTo(4);
        assertThat(log.count("export_paused")).isEqualTo(invocations - 1);
        byte[] gzipped = fx.object(done.result().key());
        assertThat((long) gzipped.length).as("more than one part's worth: part 1 and at least part 2")
                .isGreaterThan(PartSizePolicy.S3_MIN_PART + (1 << 20));
        assertThat(gzipped.length).as("compressed").isLessThan(plain.length);
        assertThat(ExportFileParser.gunzip(gzipped)).as("gunzip after %d invocations", invocations).isEqualTo(plain);

        assertThat(done.result().filename()).isEqualTo(ExportKeys.filename(job)).endsWith(".log.gz");
        assertThat(done.result().key()).endsWith(".log.gz");
        assertThat(done.result().contentType()).isEqualTo("application/gzip");
        assertThat(done.result().sizeBytes()).isEqualTo(gzipped.length);
        HeadObjectResponse head = fx.s3.headObject(r -> r.bucket(fx.platform.resources().bucket())
                .key(done.result().key()));
        assertThat(head.contentType()).isEqualTo("application/gzip");
        assertThat(head.contentEncoding()).as("not Content-Encoding: browsers must save it compressed").isNull();
        assertThat(head.contentDisposition()).contains("filename=\"" + done.result().filename() + "\"");
        assertThat(fx.openUploads(job)).isZero();
        assertThat(fx.keys()).as("working objects deleted")
                .noneMatch(k -> k.startsWith(ExportKeys.workPrefix(job.usecaseId(), job.exportId())));
    }

    /**
     * The file the same export (id, creation time, requester: all in the header) writes without compression, in one
     * invocation: the record is replaced by its uncompressed twin, as the request API would have created it.
     */
    private static byte[] plainTwin(ExportJob gzip) {
        fx.clients.dynamo().deleteItem(r -> r.tableName(fx.platform.resources().exportsTable())
                .key(Map.of("exportId", AttributeValue.fromS(gzip.exportId()))));
        ExportJob twin = ExportJob.queued(gzip.exportId(), gzip.usecaseId(), gzip.trainingId(), gzip.requestedBy(),
                ExportOptions.DEFAULT, null, gzip.createdAt());
        fx.jobs.create(twin);
        assertThat(fx.runToCompletion(fx.handler(), WorkerFixture.start(twin), 900_000)).isEqualTo(1);
        ExportJob done = fx.job(twin.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        return fx.object(done.result().key());
    }
}
