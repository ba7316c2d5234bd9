package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.emulator.lambda.SteppingClock;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.worker.testing.ExportFileParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker end to end on the emulator: SQS event → AssumeRole → every stream merged → one S3 object. */
class ExportWorkerIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();

    @Test
    void multiInstanceJob_isMergedInTimeOrder_withRestartedHostAndEmptyStream() {
        String training = "resnet-multi-1";
        long t0 = System.currentTimeMillis() - 60_000;
        try (var seeder = fx.seeder()) {
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-1-1700000000", List.of(
                    new Event(t0, "a1 start"), new Event(t0 + 30, "a1 epoch 1"), new Event(t0 + 60, "a1 epoch 2")));
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-2-1700000000", List.of(
                    new Event(t0 + 10, "a2 start"), new Event(t0 + 30, "a2 epoch 1"), new Event(t0 + 70, "a2 end")));
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-3-1700000000", List.of(
                    new Event(t0 + 5, "a3 start")));
            // algo-1 restarted: SageMaker adds a stream with a later epoch suffix.
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-1-1700003600", List.of(
                    new Event(t0 + 80, "a1 restarted"), new Event(t0 + 90, "a1 done")));
            seeder.createLogStream(WorkerFixture.LOG_GROUP, training + "/algo-4-1700000000");
            // Another job's stream with a shared name prefix must not be included.
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "-other/algo-1-1700000000",
                    List.of(new Event(t0, "not mine")));
        }
        ExportJob job = fx.createJob(training, ExportOptions.DEFAULT);

        int invocations = fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 60_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(invocations).isEqualTo(1);
        String text = new String(fx.object(done.result().key()), StandardCharsets.UTF_8);
        List<String> messages = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                messages.add(line.substring(line.indexOf("] ") + 2));
            }
        }
        assertThat(messages).containsExactly("a1 start", "a3 start", "a2 start", "a1 epoch 1", "a2 epoch 1",
                "a1 epoch 2", "a2 end", "a1 restarted", "a1 done");
        assertThat(text).contains("# training job: " + training)
                .contains("#   [algo-1#2] " + training + "/algo-1-1700003600: 2 events")
                .contains("#   [algo-4] " + training + "/algo-4-1700000000: 0 events")
                .contains("# total events: 9")
                .endsWith("# end of export " + job.exportId() + ": 9 events from 5 streams\n")
                .doesNotContain("not mine");
        assertThat(done.result().sizeBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(done.progress().events()).isEqualTo(9);
        assertThat(done.progress().streamsTotal()).isEqualTo(5);
        assertThat(done.checkpoint()).as("checkpoint cleared on success").isNull();
        assertThat(fx.openUploads(job)).isZero();
    }
    @Test
    void moreThan10000EventsInOneStream_arePagedThroughCompletely() {
        String training = "bert-long-1";
        long t0 = System.currentTimeMillis() - 3_600_000;
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 12_500; i++) {
            events.add(new Event(t0 + i * 100L, "step " + i));
        }
        try (var seeder = fx.seeder()) {
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-1-1700000000", events);
        }
        ExportJob job = fx.createJob(training, new ExportOptions(ExportFormat.JSONL, null, null));

        fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 120_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        List<ExportFileParser.Line> lines = ExportFileParser.jsonLines(fx.object(done.result().key()));
        assertThat(lines).hasSize(12_500);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).message()).isEqualTo("step " + i);
        }
        assertThat(done.result().contentType()).isEqualTo("application/x-ndjson");
        assertThat(done.result().filename()).startsWith(training + "-logs-").endsWith(".jsonl");
    }

    @Test
    void moreThan50Streams_arePagedThroughDescribeLogStreams() {
        String training = "wide-job-1";
        long t0 = System.currentTimeMillis() - 600_000;
        try (var seeder = fx.seeder()) {
            for (int s = 0; s < 57; s++) {
                seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-" + s + "-1700000000",
                        List.of(new Event(t0 + s, "host " + s + " up"), new Event(t0 + 1000 + s, "host " + s + " done")));
            }
        }
        ExportJob job = fx.createJob(training, ExportOptions.DEFAULT);

        fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 120_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        var text = ExportFileParser.text(fx.object(done.result().key()));
        assertThat(text.streamCounts()).hasSize(57).allSatisfy((stream, count) -> assertThat(count).isEqualTo(2));
        assertThat(text.events()).hasSize(114);
        assertThat(done.progress().streamsTotal()).isEqualTo(57);
        assertThat(done.progress().streamsDone()).isEqualTo(57);
    }

    @Test
    void unicodeAndMultiLineMessages_surviveInBothFormats() {
        String training = "unicode-job-1";
        long t0 = System.currentTimeMillis() - 60_000;
        List<String> messages = List.of("损失 loss=0.5 🚀", "Traceback (most recent call last):\n  File \"train.py\", line 1\n"
                + "ValueError: ü", "tab\there \"quoted\" back\\slash", "forged?\n2026-01-01T00:00:00.000Z [algo-9] x");
        try (var seeder = fx.seeder()) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                events.add(new Event(t0 + i, messages.get(i)));
            }
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-1-1700000000", events);
        }
        ExportJob text = fx.createJob(training, ExportOptions.DEFAULT);
        ExportJob jsonl = fx.createJob(training, new ExportOptions(ExportFormat.JSONL, null, null));

        fx.runToCompletion(fx.handler(), WorkerFixture.start(text), 60_000);
        fx.runToCompletion(fx.handler(), WorkerFixture.start(jsonl), 60_000);

        var parsedText = ExportFileParser.text(fx.object(fx.job(text.exportId()).result().key()));
        assertThat(parsedText.events()).extracting(ExportFileParser.Line::message)
                .containsExactlyElementsOf(messages.stream().map(ExportFileParser::asShownInText).toList());
        assertThat(ExportFileParser.jsonLines(fx.object(fx.job(jsonl.exportId()).result().key())))
                .extracting(ExportFileParser.Line::message).containsExactlyElementsOf(messages);
    }

    @Test
    void timeRange_keepsOnlyEventsInsideIt() {
        String training = "ranged-job-1";
        long t0 = System.currentTimeMillis() - 600_000;
        try (var seeder = fx.seeder()) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                events.add(new Event(t0 + i * 1000L, "second " + i));
            }
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-1-1700000000", events);
        }
        ExportJob job = fx.createJob(training, new ExportOptions(ExportFormat.JSONL, t0 + 3000, t0 + 7000));

        fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 60_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(ExportFileParser.jsonLines(fx.object(done.result().key())))
                .extracting(ExportFileParser.Line::message)
                .as("start inclusive, end exclusive").containsExactly("second 3", "second 4", "second 5", "second 6");
    }

    @Test
    void jobWithoutLogs_failsWithNoLogs_andLeavesNothingBehind() {
        ExportJob job = fx.createJob("never-started-1", ExportOptions.DEFAULT);

        fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 60_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(done.error().code()).isEqualTo(ErrorCode.NO_LOGS);
        assertThat(done.error().code().httpStatus()).isEqualTo(404);
        assertThat(done.error().message()).contains("No logs available yet", "never-started-1");
        assertThat(fx.keys()).noneMatch(k -> k.contains(job.exportId()));
        assertThat(fx.openUploads(job)).isZero();
    }

    @Test
    void missingLogGroup_failsWithNoLogs() {
        fx.registry.put(new UseCase("uc-empty", Accounts.USECASE_A, fx.roleArn, WorkerFixture.EXTERNAL_ID,
                "us-east-1", "/aws/sagemaker/NoSuchGroup", Set.of(WorkerFixture.USER)));
        ExportJob job = new ExportJob(com.mlplatform.logexport.shared.job.ExportIds.newExportId(), "uc-empty",
                "any-job", WorkerFixture.USER, ExportOptions.DEFAULT, ExportStatus.QUEUED, Instant.now(),
                Instant.now(), null, com.mlplatform.logexport.shared.job.Progress.NONE, null, null, null, 0);
        fx.jobs.create(job);

        fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 60_000);

        assertThat(fx.job(job.exportId()).error().code()).isEqualTo(ErrorCode.NO_LOGS);
    }

    @Test
    void malformedMessages_areReportedFailed_withoutFailingTheRestOfTheBatch() {
        String training = "batch-job-1";
        try (var seeder = fx.seeder()) {
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-1-1700000000",
                    List.of(new Event(System.currentTimeMillis() - 1000, "fine")));
        }
        ExportJob unreadable = fx.createJob(training, ExportOptions.DEFAULT);
        ExportJob good = fx.createJob(training, ExportOptions.DEFAULT);
        SQSEvent batch = WorkerFixture.event("not json at all",
                "{\"v\":99,\"exportId\":\"" + unreadable.exportId() + "\",\"continuation\":0}",
                ExportMessage.start(good.exportId()).toJson());

        SQSBatchResponse response = fx.handler().handleRequest(batch, CountdownContext.ofMillis("export-worker", 15 * 60 * 1000));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder(batch.getRecords().get(0).getMessageId(),
                        batch.getRecords().get(1).getMessageId());
        ExportJob failed = fx.job(unreadable.exportId());
        assertThat(failed.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(failed.error().message()).contains("unsupported message version 99");
        assertThat(fx.job(good.exportId()).status()).isEqualTo(ExportStatus.SUCCEEDED);
    }

    @Test
    void unregisteredUseCase_failsAsInvalidRequest() {
        ExportJob job = new ExportJob(com.mlplatform.logexport.shared.job.ExportIds.newExportId(), "uc-unknown",
                "any-job", WorkerFixture.USER, ExportOptions.DEFAULT, ExportStatus.QUEUED, Instant.now(),
                Instant.now(), null, com.mlplatform.logexport.shared.job.Progress.NONE, null, null, null, 0);
        fx.jobs.create(job);

        fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 60_000);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(done.error().message()).contains("uc-unknown");
    }

    @Test
    void cancelledJob_stopsAtTheNextCheckpoint_andAbortsItsUpload() {
        String training = "cancel-job-1";
        long t0 = System.currentTimeMillis() - 3_600_000;
        try (var seeder = fx.seeder()) {
            for (int s = 1; s <= 3; s++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    events.add(new Event(t0 + i * 10L + s, "host " + s + " step " + i));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-" + s + "-1700000000", events);
            }
        }
        ExportJob job = fx.createJob(training, ExportOptions.DEFAULT);
        // The clock gains 10 s at every reading and the budget is 10 s past the margin: time is up from the
        // invocation's first reading on, on any machine. The invocation still makes its minimal progress (one batch of events) and
        // pauses at its first check, so the job is deterministically paused, not finished.
        WorkerConfig tiny = fx.config().withSafetyMargin(Duration.ofSeconds(1));
        ExportWorkerHandler handler = new ExportWorkerHandler(WorkerSetup.of(fx.clients, tiny)
                .withClock(new SteppingClock(Duration.ofSeconds(10))));

        handler.handleRequest(WorkerFixture.start(job), CountdownContext.ofMillis("export-worker", 11_000));
        ExportJob paused = fx.job(job.exportId());
        assertThat(paused.status()).as("paused, not finished").isEqualTo(ExportStatus.RUNNING);
        assertThat(paused.progress().streamsTotal()).as("progress for the UI's bar").isEqualTo(3);
        assertThat(paused.progress().events()).isPositive().isLessThan(9000);
        assertThat(paused.progress().bytes()).isPositive();
        assertThat(fx.openUploads(job)).isEqualTo(1);
        fx.jobs.finishIfActive(job.exportId(), ExportStatus.CANCELLED, null, Instant.now()); // the API's cancel
        List<String> continuation = fx.drainQueue();
        assertThat(continuation).hasSize(1);
        handler.handleRequest(WorkerFixture.event(continuation.get(0)), CountdownContext.ofMillis("export-worker", 15 * 60 * 1000));

        assertThat(fx.job(job.exportId()).status()).isEqualTo(ExportStatus.CANCELLED);
        assertThat(fx.openUploads(job)).as("upload aborted: no orphan parts").isZero();
        assertThat(fx.keys()).noneMatch(k -> k.contains(job.exportId()));
        assertThat(fx.drainQueue()).as("no further continuation").isEmpty();
    }
}
