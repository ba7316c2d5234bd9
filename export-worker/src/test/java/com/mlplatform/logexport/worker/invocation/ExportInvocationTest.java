package com.mlplatform.logexport.worker.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.failure.RetryableFailure;
import com.mlplatform.logexport.worker.failure.RoleRef;
import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.logs.LogPage;
import com.mlplatform.logexport.worker.logs.LogSource;
import com.mlplatform.logexport.worker.logs.TimeWindow;
import com.mlplatform.logexport.worker.testing.ExportFileParser;
import com.mlplatform.logexport.worker.testing.GeneratedJob;
import com.mlplatform.logexport.worker.testing.InvocationRunner;
import com.mlplatform.logexport.worker.testing.InMemoryLogSource;
import com.mlplatform.logexport.worker.testing.InMemoryMultipartStore;
import com.mlplatform.logexport.worker.testing.ManualClock;
import com.mlplatform.logexport.worker.testing.RecordingLedger;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The export invocation with S3's real part sizes (5 MiB minimum), in memory: several parts, pauses mid-part, faults. */
class ExportInvocationTest {

    private static final PartSizePolicy S3 = PartSizePolicy.forS3(PartSizePolicy.S3_MIN_PART);
    private static final long T0 = 1_767_000_000_000L;

    private static final String PADDING = "x".repeat(100);
    /** Invocation budget of the throttling test, and what one throttled call (the SDK's own retries) takes of it. */
    private static final Duration THROTTLED_BUDGET = Duration.ofMillis(1000);
    private static final Duration THROTTLED_CALL = Duration.ofMillis(400);

    /** ~11 MB of text over 3 streams: three parts at 5 MiB, the header in part 1. */
    private static GeneratedJob bigJob() {
        Map<String, List<LogEvent>> streams = new LinkedHashMap<>();
        for (int s = 1; s <= 3; s++) {
            List<LogEvent> events = new ArrayList<>(24_000);
            for (int i = 0; i < 24_000; i++) {
                events.add(new LogEvent(T0 + i * 3L + s, "host " + s + " step " + i + " loss=0." + (i * 7919 % 10_000)
                        + " lr=0.0003 throughput=1234.5 samples/s " + PADDING.substring(0, i % 100)));
            }
            streams.put("big/algo-" + s + "-1767000000", events);
        }
        return new GeneratedJob("big", streams, null, null);
    }

    /** Answers a page request, in place of the real source. */
    @FunctionalInterface
    private interface PageAnswer {
        LogPage page(String stream, String token, TimeWindow window, int limit);
    }

    /** {@code real}'s streams, with every page request answered by {@code pages}. */
    private static LogSource withPages(LogSource real, PageAnswer pages) {
        return new LogSource() {
            @Override
            public List<String> streamNames(String prefix) {
                return real.streamNames(prefix);
            }

            @Override
            public LogPage page(String stream, String token, TimeWindow window, int limit) {
                return pages.page(stream, token, window, limit);
            }
        };
    }

    @Test
    void largeExport_spansSeveralS3SizedParts_andManyPausesGiveTheSameBytes() {
        GeneratedJob generated = bigJob();
        ExportJob job = generated.job(ExportFormat.TEXT);

        ManualClock c1 = new ManualClock(GeneratedJob.CREATED);
        InMemoryMultipartStore once = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        InvocationRunner.Outcome single = new InvocationRunner(c1, once, S3).run(job, generated.source(), Duration.ofDays(1));

        ManualClock c2 = new ManualClock(GeneratedJob.CREATED);
        InMemoryMultipartStore paused = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        InMemoryLogSource source = generated.source().onCall(() -> c2.advance(Duration.ofSeconds(1)));
        InvocationRunner.Outcome resumed = new InvocationRunner(c2, paused, S3).run(job, source, Duration.ofMillis(2500));

        assertThat(single.invocations()).isEqualTo(1);
        assertThat(single.file().length).as("three parts").isGreaterThan((int) (2 * PartSizePolicy.S3_MIN_PART));
        assertThat(resumed.invocations()).as("many continuations").isGreaterThan(5);
        assertThat(resumed.file()).as("byte-identical to the uninterrupted export").isEqualTo(single.file());
        assertThat(paused.largestPart()).as("memory: one part is about one base size")
                .isLessThan(PartSizePolicy.S3_MIN_PART + 64 * 1024 + 2048);
        assertThat(paused.openUploads()).isZero();
        assertThat(paused.stashCount()).isZero();
        assertThat(paused.creates()).as("one upload for the whole export").isEqualTo(1);
        ExportFileParser.TextFile text = ExportFileParser.text(resumed.file());
        assertThat(text.events()).hasSize(72_000);
        assertThat(text.header()).containsEntry("total events", "72000");
    }

    @Test
    void transientUploadFaults_areRetried() {
        GeneratedJob generated = bigJob();
        AtomicInteger faults = new AtomicInteger();
        InMemoryMultipartStore store = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART).beforeUploadPart(n -> {
            if (faults.getAndIncrement() < 3) {
                throw new RetryableFailure(RetryableFailure.Kind.SERVER_ERROR, "s3:PutObject", null);
            }
        });
        InvocationRunner.Outcome outcome = new InvocationRunner(new ManualClock(GeneratedJob.CREATED), store, S3)
                .run(generated.job(ExportFormat.JSONL), generated.source(), Duration.ofDays(1));
        assertThat(outcome.last()).isInstanceOf(InvocationResult.Finished.class);
        assertThat(ExportFileParser.jsonLines(outcome.file())).hasSize(72_000);
    }

    @Test
    void throttlingThatOutlastsTheBudget_pausesInsteadOfFailing_andTheExportStillCompletes() {
        GeneratedJob generated = GeneratedJob.small();
        ManualClock clock = new ManualClock(GeneratedJob.CREATED);
        InMemoryLogSource real = generated.source();
        Set<String> seen = new HashSet<>();
        AtomicInteger throttles = new AtomicInteger();
        LogSource throttled = withPages(real, (stream, token, window, limit) -> {
            // Each page is throttled the first time it is asked for, as under a busy account's quota, after the
            // SDK's own retries took THROTTLED_CALL. Six pages cost more than a budget whatever the backoff
            // jitter; one throttled page and its backoff (at most 200 ms) still fit, so every invocation moves on.
            if (seen.add(stream + "@" + token)) {
                throttles.incrementAndGet();
                clock.advance(THROTTLED_CALL);
                throw new RetryableFailure(RetryableFailure.Kind.THROTTLED, "logs:GetLogEvents", null);
            }
            return real.page(stream, token, window, limit);
        });
        InMemoryMultipartStore store = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        InvocationRunner.Outcome outcome = new InvocationRunner(clock, store, S3)
                .run(generated.job(ExportFormat.TEXT), throttled, THROTTLED_BUDGET);

        assertThat(throttles.get()).as("every page throttled once").isEqualTo(6);
        assertThat(outcome.last()).isInstanceOf(InvocationResult.Finished.class);
        assertThat(outcome.invocations()).as("throttling used up budgets; continuations carried on")
                .isGreaterThan(1);
        assertThat(ExportFileParser.text(outcome.file()).events()).hasSize(generated.expectedOrder().size());
    }

    @Test
    void cancelledJob_stopsAtTheNextCheck_andLeavesNoUploadBehind() {
        GeneratedJob generated = bigJob();
        InMemoryMultipartStore store = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        RecordingLedger ledger = new RecordingLedger() {
            @Override
            public void progress(com.mlplatform.logexport.shared.job.Progress p) {
                cancel(); // the user cancels while the export runs
                super.progress(p);
            }
        };
        ManualClock clock = new ManualClock(GeneratedJob.CREATED);
        InMemoryLogSource source = generated.source().onCall(() -> clock.advance(Duration.ofSeconds(10)));
        InvocationRunner.Outcome outcome = new InvocationRunner(clock, store, S3).run(generated.job(ExportFormat.TEXT), source,
                Duration.ofDays(1), ledger);

        assertThat(outcome.last()).isInstanceOf(InvocationResult.Cancelled.class);
        assertThat(store.openUploads()).isZero();
        assertThat(store.aborts()).isEqualTo(1);
        assertThat(outcome.file()).isNull();
    }

    @Test
    void accessDeniedMidExport_failsTheJob_andAbortsTheUpload() {
        GeneratedJob generated = GeneratedJob.small();
        InMemoryLogSource real = generated.source();
        LogSource denied = withPages(real, (stream, token, window, limit) -> {
            throw JobFailure.accessDenied(RoleRef.fromArn("arn:aws:iam::111111111111:role/R"),
                    "logs:GetLogEvents", "log group /g");
        });
        InMemoryMultipartStore store = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        assertThatThrownBy(() -> new InvocationRunner(new ManualClock(GeneratedJob.CREATED), store, S3)
                .run(generated.job(ExportFormat.TEXT), denied, Duration.ofDays(1)))
                .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
        assertThat(store.openUploads()).isZero();
        assertThat(store.aborts()).isEqualTo(1);
    }

    @Test
    void noStreams_failsWithNoLogs_beforeAnyUploadStarts() {
        InMemoryMultipartStore store = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        GeneratedJob none = new GeneratedJob("absent", Map.of("other/algo-1-1", List.of(new LogEvent(T0, "x"))),
                null, null);
        assertThatThrownBy(() -> new InvocationRunner(new ManualClock(GeneratedJob.CREATED), store, S3)
                .run(none.job(ExportFormat.TEXT), none.source(), Duration.ofDays(1)))
                .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.NO_LOGS));
        assertThat(store.creates()).isZero();
    }
}
