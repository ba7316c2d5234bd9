package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.emulator.lambda.SteppingClock;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.time.Budget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * SQS delivers at least once. A duplicate or late delivery — one after another or at the same time — must never
 * move a finished job back, start a second upload, or produce a second object.
 */
class ExactlyOnceIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();

    private static String seed(String training, int eventsPerHost) {
        long t0 = System.currentTimeMillis() - 3_600_000;
        try (var seeder = fx.seeder()) {
            for (int h = 1; h <= 3; h++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < eventsPerHost; i++) {
                    events.add(new Event(t0 + i * 7L + h, "host " + h + " line " + i));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-" + h + "-1700000000", events);
            }
        }
        return training;
    }

    private static List<String> objectsOf(ExportJob job) {
        return fx.keys().stream().filter(k -> k.startsWith("exports/" + job.usecaseId() + "/" + job.exportId() + "/"))
                .toList();
    }

    @Test
    void sameMessageTwice_oneAfterTheOther_exportsOnce_andTheLateCopyChangesNothing() {
        ExportJob job = fx.createJob(seed("dup-seq-1", 50), ExportOptions.DEFAULT);
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        ExportWorkerHandler handler = fx.handler(fx.config(), log);
        String body = ExportMessage.start(job.exportId()).toJson();

        handler.handleRequest(WorkerFixture.event(body), CountdownContext.ofMillis("export-worker", 15 * 60 * 1000));
        ExportJob afterFirst = fx.job(job.exportId());
        SQSBatchResponse second = handler.handleRequest(WorkerFixture.event(body), CountdownContext.ofMillis("export-worker", 15 * 60 * 1000));

        assertThat(second.getBatchItemFailures()).as("a duplicate is handled, not retried").isEmpty();
        ExportJob afterSecond = fx.job(job.exportId());
        assertThat(afterFirst.status()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(afterSecond).as("not written again").isEqualTo(afterFirst);
        assertThat(objectsOf(job)).hasSize(1);
        assertThat(fx.openUploads(job)).isZero();
        assertThat(log.count("export_succeeded")).isEqualTo(1);
        assertThat(log.count("message_skipped")).isEqualTo(1);
    }

    @Test
    void sameMessageTwice_atTheSameTime_exportsOnce() throws Exception {
        ExportJob job = fx.createJob(seed("dup-conc-1", 3000), ExportOptions.DEFAULT);
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        String body = ExportMessage.start(job.exportId()).toJson();

        List<SQSBatchResponse> responses = concurrently(log, body, body, body);

        assertThat(responses).allSatisfy(r -> assertThat(r.getBatchItemFailures()).isEmpty());
        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(log.count("export_succeeded")).as("exactly one delivery did the work").isEqualTo(1);
        assertThat(log.count("message_skipped")).isEqualTo(2);
        assertThat(objectsOf(job)).hasSize(1);
        assertThat(fx.openUploads(job)).as("no second upload left behind").isZero();
        assertThat(ExportFileParserHolder.eventCount(fx.object(done.result().key()))).isEqualTo(9000);
    }

    @Test
    void duplicateContinuations_andAStaleFirstMessage_neitherForkNorRepeatTheExport() throws Exception {
        ExportJob job = fx.createJob(seed("dup-cont-1", 3000), ExportOptions.DEFAULT);
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        WorkerConfig tiny = fx.config().withSafetyMargin(Duration.ofSeconds(1));
        // 10 s per clock reading, 10 s of budget past the margin: the first invocation's time is up from its first
        // reading on, whatever the machine's speed, so it makes its minimal progress and hands over exactly one
        // continuation.
        ExportWorkerHandler handler = new ExportWorkerHandler(WorkerSetup.of(fx.clients, tiny)
                .withClock(new SteppingClock(Duration.ofSeconds(10))).withLog(log.log()));
        String first = ExportMessage.start(job.exportId()).toJson();

        handler.handleRequest(WorkerFixture.event(first), CountdownContext.ofMillis("export-worker", 11_000));
        List<String> continuation = fx.drainQueue();
        assertThat(continuation).hasSize(1);
        // The first message again (a late duplicate): stale, the job has moved on to continuation 1.
        handler.handleRequest(WorkerFixture.event(first), CountdownContext.ofMillis("export-worker", 15 * 60 * 1000));
        assertThat(fx.drainQueue()).as("a stale message enqueues nothing").isEmpty();
        // The continuation delivered three times at once.
        String c = continuation.get(0);
        concurrently(log, tiny, c, c, c);
        fx.runToCompletion(fx.handler(fx.config(), log), WorkerFixture.event(), 900_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(log.count("export_succeeded")).isEqualTo(1);
        assertThat(objectsOf(job)).hasSize(1);
        assertThat(ExportFileParserHolder.eventCount(fx.object(done.result().key()))).isEqualTo(9000);
    }

    @Test
    void aContinuationLostByACrash_isResentWhenTheOldMessageComesBack() {
        ExportJob job = fx.createJob(seed("lost-cont-1", 20), ExportOptions.DEFAULT);
        // What a crash between "save checkpoint for continuation 1" and "send its message" leaves behind.
        ExportJob stored = fx.job(job.exportId());
        Checkpoint handedOver = Checkpoint.initial(System.currentTimeMillis()).nextContinuation();
        fx.jobs.replace(stored, new ExportJob(stored.exportId(), stored.usecaseId(), stored.trainingId(),
                stored.requestedBy(), stored.options(), ExportStatus.RUNNING, stored.createdAt(), stored.updatedAt(),
                null, stored.progress(), null, null, CheckpointCodec.encode(handedOver), stored.version()));

        // SQS redelivers the first (continuation 0) message (the crashed invocation never acknowledged it).
        fx.handler().handleRequest(WorkerFixture.start(job), CountdownContext.ofMillis("export-worker", 15 * 60 * 1000));
        List<String> resent = fx.drainQueue();

        assertThat(resent).containsExactly(new ExportMessage(1, job.exportId(), 1).toJson());
        fx.runToCompletion(fx.handler(), WorkerFixture.event(resent.get(0)), 900_000);
        assertThat(fx.job(job.exportId()).status()).isEqualTo(ExportStatus.SUCCEEDED);
    }

    /**
     * The duplicate of a message whose delivery holds the lease is acknowledged (docs/reliability.md, "A duplicate
     * while the lease is held"); if that holder then dies, the reconciler re-drives the export once its lease has
     * run out, so nothing is lost.
     */
    @Test
    void duplicateAcknowledgedWhileTheLeaseIsHeld_isReDrivenByTheReconciler_whenTheHolderDies() {
        ExportJob job = fx.createJob(seed("dup-dead-holder-1", 20), ExportOptions.DEFAULT);
        java.time.Instant now = java.time.Instant.now();
        // A delivery claims the job for 15 minutes and dies at once.
        new com.mlplatform.logexport.worker.job.JobLedger(fx.jobs, java.time.Clock.systemUTC())
                .claim(job.exportId(), 0, "dead-invocation/m-0", now.plus(Duration.ofMinutes(15)));
        String body = ExportMessage.start(job.exportId()).toJson();

        SQSBatchResponse duplicate = fx.handler().handleRequest(WorkerFixture.event(body),
                CountdownContext.ofMillis("export-worker", 900_000));

        assertThat(duplicate.getBatchItemFailures()).as("acknowledged, not handed back").isEmpty();
        assertThat(fx.job(job.exportId()).status()).isEqualTo(ExportStatus.RUNNING);
        java.time.Instant later = now.plus(Duration.ofHours(1));
        new com.mlplatform.logexport.worker.reconcile.ExportReconcilerHandler(fx.clients,
                com.mlplatform.logexport.worker.reconcile.ReconcilerConfig.defaults(fx.platform.resources()),
                java.time.Clock.fixed(later, java.time.ZoneOffset.UTC), new WorkerFixture.LogSink().log())
                .handleRequest(new com.amazonaws.services.lambda.runtime.events.ScheduledEvent(),
                        CountdownContext.ofMillis("export-reconciler", 240_000));
        List<String> redriven = fx.drainQueue();
        assertThat(redriven).as("re-driven at its hop").containsExactly(body);
        ExportWorkerHandler afterTheLease = new ExportWorkerHandler(WorkerSetup.of(fx.clients, fx.config())
                .withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(1))));
        fx.runToCompletion(afterTheLease, WorkerFixture.event(redriven.get(0)), 900_000);
        assertThat(fx.job(job.exportId()).status()).isEqualTo(ExportStatus.SUCCEEDED);
    }

    /**
     * A delivery that outlived its lease (stalled past the lease's grace; the reliability trials' workers, which no
     * Lambda stops at its timeout, did) writes its working object after another delivery finished the export and
     * swept it clean; its checkpoint write then finds the export finished. It must sweep what is left, or the upload
     * and working object stay until the reconciler's orphan sweep a day later.
     */
    @Test
    void aDeliveryThatFindsTheExportFinishedByAnother_whenSaving_leavesNoUploadAndNoWorkingObject() {
        ExportJob job = fx.createJob(seed("late-hop-1", 3000), ExportOptions.DEFAULT);
        // As in ExportWorkerIT's cancel test: a clock gaining 10 s a reading makes every hop pause after its
        // minimal progress, on any machine.
        WorkerConfig tiny = fx.config().withSafetyMargin(Duration.ofSeconds(1));
        WorkerSetup setup = WorkerSetup.of(fx.clients, tiny).withClock(new SteppingClock(Duration.ofSeconds(10)));
        new ExportWorkerHandler(setup).handleRequest(WorkerFixture.start(job),
                CountdownContext.ofMillis("export-worker", 11_000));
        List<String> continuation = fx.drainQueue();
        assertThat(continuation).as("paused after hop 0").hasSize(1);
        assertThat(fx.openUploads(job)).isEqualTo(1);

        // The late delivery of hop 1: just before it stores its working object, another delivery finishes the
        // export (here: the record is set SUCCEEDED, as that delivery's last write would).
        AtomicInteger finishedBy = new AtomicInteger();
        ExecutionInterceptor finishFirst = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest put && put.key().startsWith("work/")
                        && finishedBy.getAndIncrement() == 0) {
                    fx.jobs.finishIfActive(job.exportId(), ExportStatus.SUCCEEDED, null, Instant.now());
                }
            }
        };
        var settings = fx.clients.settings();
        try (S3Client s3 = S3Client.builder().region(settings.region()).credentialsProvider(settings.credentials())
                .endpointOverride(settings.endpointOverride().orElseThrow()).forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(finishFirst)).build()) {
            Platform connected = Platform.connect(setup);
            Platform late = new Platform(connected.ledger(), connected.useCases(), connected.queue(), s3,
                    connected.bucket(), connected.sts(), connected.clients());
            new ExportWorker(late, setup).handle("m-late", continuation.get(0),
                    Budget.of(setup.clock(), 11_000, Duration.ofSeconds(1)), "late-invocation", false);
        }

        assertThat(finishedBy.get()).as("the late delivery wrote its working object").isPositive();
        assertThat(fx.job(job.exportId()).status()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(fx.openUploads(job)).as("no upload left open").isZero();
        assertThat(fx.keys()).as("no working object").noneMatch(k -> k.startsWith("work/")
                && k.contains(job.exportId()));
    }

    private static List<SQSBatchResponse> concurrently(WorkerFixture.LogSink log, String... bodies) throws Exception {
        return concurrently(log, fx.config(), bodies);
    }

    /** Each body in its own "Lambda instance" (handler and thread), released at the same moment. */
    private static List<SQSBatchResponse> concurrently(WorkerFixture.LogSink log, WorkerConfig config,
                                                       String... bodies) throws Exception {
        return fx.concurrently(log, config, bodies);
    }

    /** Counts event lines of a text export. */
    static final class ExportFileParserHolder {
        static int eventCount(byte[] file) {
            return com.mlplatform.logexport.worker.testing.ExportFileParser.text(file).events().size();
        }
    }
}
