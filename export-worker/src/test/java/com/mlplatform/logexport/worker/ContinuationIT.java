package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.lambda.SteppingClock;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.worker.testing.ExportFileParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * No 15-minute ceiling: with a tiny time budget an export checkpoints and continues over many invocations, and the
 * file is byte-identical to the one an uninterrupted invocation writes. Large enough (> 10 MiB) for three 5 MiB
 * parts, so checkpoints fall inside parts and the held-back first part crosses invocations too.
 */
class ContinuationIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();
    private static final int HOSTS = 3;
    private static final String LARGE = "llm-finetune-cont-1";
    private static final int LARGE_EVENTS = 24_000;
    private static final String SMALL = "cnn-cont-1";
    private static final int SMALL_EVENTS = 1_500;

    @BeforeAll
    static void seedJobs() {
        seed(LARGE, LARGE_EVENTS);
        seed(SMALL, SMALL_EVENTS);
    }

    private static void seed(String training, int eventsPerHost) {
        long t0 = System.currentTimeMillis() - 6 * 3_600_000L;
        String padding = "p".repeat(150);
        try (var seeder = fx.seeder()) {
            for (int h = 1; h <= HOSTS; h++) {
                List<Event> events = new ArrayList<>(eventsPerHost);
                for (int i = 0; i < eventsPerHost; i++) {
                    events.add(new Event(t0 + i * 50L + h % 2, "[rank " + h + "] step " + i + " loss=0."
                            + (i * 7919 % 10_000) + " tokens/s=31337 " + padding.substring(0, i % 150)));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-" + h + "-1700000000", events);
            }
        }
    }

    /**
     * Over 10 MiB: three parts, checkpoints inside parts. The invocation's clock gains a second at every reading,
     * so its 58 s working budget lasts about 58 readings: a small share of the export per invocation.
     */
    @Test
    void tinyTimeBudget_forcesManyContinuations_andTheFileIsByteIdentical() {
        assertByteIdentical(LARGE, ExportFormat.TEXT, Duration.ofSeconds(1), 10L * 1024 * 1024, HOSTS * LARGE_EVENTS);
    }

    /** One part, and a budget of about a dozen clock readings: a continuation every few pages. */
    @Test
    void jsonLines_tooAreByteIdenticalAcrossContinuations() {
        assertByteIdentical(SMALL, ExportFormat.JSONL, Duration.ofSeconds(5), 0, HOSTS * SMALL_EVENTS);
    }

    private void assertByteIdentical(String training, ExportFormat format, Duration clockStep, long minBytes,
                                     int events) {
        ExportJob job = fx.createJob(training, new ExportOptions(format, null, null));

        int once = fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 900_000);
        ExportJob first = fx.job(job.exportId());
        assertThat(first.status()).as("error: %s", first.error()).isEqualTo(ExportStatus.SUCCEEDED);
        byte[] uninterrupted = fx.object(first.result().key());
        assertThat(once).isEqualTo(1);
        assertThat((long) uninterrupted.length).isGreaterThan(minBytes);

        // Same job again from scratch: the object and record reset to what the request API created.
        fx.s3.deleteObject(r -> r.bucket(fx.platform.resources().bucket()).key(first.result().key()));
        fx.clients.dynamo().deleteItem(r -> r.tableName(fx.platform.resources().exportsTable())
                .key(java.util.Map.of("exportId", AttributeValue.fromS(job.exportId()))));
        fx.jobs.create(job);
        WorkerConfig tiny = fx.config().withSafetyMargin(Duration.ofSeconds(2));
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();

        ExportWorkerHandler stepping = new ExportWorkerHandler(WorkerSetup.of(fx.clients, tiny)
                .withClock(new SteppingClock(clockStep)).withLog(log.log()));
        int invocations = fx.runToCompletion(stepping, WorkerFixture.start(job), 60_000);

        ExportJob resumed = fx.job(job.exportId());
        assertThat(resumed.status()).as("error: %s", resumed.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(invocations).as("several continuations").isGreaterThanOrEqualTo(4);
        assertThat(log.count("export_paused")).isEqualTo(invocations - 1);
        byte[] continued = fx.object(resumed.result().key());
        assertThat(continued).as("byte-identical after %d invocations", invocations).isEqualTo(uninterrupted);
        assertThat(resumed.result()).isEqualTo(first.result());
        assertThat(fx.openUploads(job)).isZero();
        assertThat(fx.keys()).as("working objects deleted")
                .noneMatch(k -> k.startsWith(ExportKeys.workPrefix(job.usecaseId(), job.exportId())));
        if (format == ExportFormat.TEXT) {
            assertThat(ExportFileParser.text(continued).events()).hasSize(events);
        } else {
            assertThat(ExportFileParser.jsonLines(continued)).hasSize(events);
        }
    }
}
