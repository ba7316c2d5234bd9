package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.UseCaseAccountSeeder;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.testing.GeneratedJob;
import com.mlplatform.logexport.worker.testing.InvocationRunner;
import com.mlplatform.logexport.worker.testing.InMemoryMultipartStore;
import com.mlplatform.logexport.worker.testing.JobGenerators;
import com.mlplatform.logexport.worker.testing.ManualClock;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The property tests' generated jobs again, on the emulator: each is seeded into the use-case account, exported by
 * the real handler (AssumeRole, CloudWatch paging, S3 multipart), and the file must be byte for byte the one the
 * in-memory run of the same job writes. Since that file satisfies properties 2, 7 and 8, so does the emulator's.
 */
class GeneratedJobsOnEmulatorIT {

    /** jqwik does not run JUnit extensions: the container hooks start and close the fixture. */
    private static final WorkerFixture fx = new WorkerFixture();
    private static final AtomicInteger CASE = new AtomicInteger();

    @BeforeContainer
    static void setUp() {
        fx.start();
    }

    @AfterContainer
    static void tearDown() {
        fx.close();
    }

    @Property(tries = 20)
    void generatedJobs_exportTheSameBytesOnTheEmulatorAsInMemory(@ForAll("jobs") GeneratedJob generated,
                                                                 @ForAll boolean jsonLines) {
        // Moved to the last hour (moto drops events older than 14 days), under a name of its own.
        long offset = System.currentTimeMillis() - 3_600_000 - JobGenerators.BASE;
        GeneratedJob job = generated.shifted(offset, "gen-" + CASE.incrementAndGet() + "-" + generated.trainingId());
        ExportFormat format = jsonLines ? ExportFormat.JSONL : ExportFormat.TEXT;
        try (var seeder = fx.seeder()) {
            job.streams().forEach((stream, events) -> {
                if (events.isEmpty()) {
                    seeder.createLogStream(WorkerFixture.LOG_GROUP, stream);
                } else {
                    seeder.putEvents(WorkerFixture.LOG_GROUP, stream, events.stream()
                            .map(e -> new UseCaseAccountSeeder.Event(e.timestamp(), e.message())).toList());
                }
            });
        }
        ExportJob exportJob = ExportJob.queued(ExportIds.newExportId(), WorkerFixture.USECASE, job.trainingId(),
                WorkerFixture.USER, new ExportOptions(format, job.start(), job.end()), null, Instant.now());
        fx.jobs.create(exportJob);

        fx.runToCompletion(fx.handler(), WorkerFixture.start(exportJob), 120_000);

        ExportJob done = fx.job(exportJob.exportId());
        if (job.expectedOrder().isEmpty()) {
            assertThat(done.status()).isEqualTo(ExportStatus.FAILED);
            assertThat(done.error().code()).isEqualTo(ErrorCode.NO_LOGS);
            return;
        }
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        byte[] onEmulator = fx.object(done.result().key());
        assertThat(onEmulator).isEqualTo(inMemory(job, exportJob));
    }

    private static byte[] inMemory(GeneratedJob job, ExportJob exportJob) {
        PartSizePolicy parts = new PartSizePolicy(1024, 1024);
        InvocationRunner.Outcome outcome = new InvocationRunner(new ManualClock(Instant.now()), new InMemoryMultipartStore(1024),
                parts).run(exportJob, job.source(), Duration.ofDays(1));
        return outcome.file();
    }

    @Provide
    Arbitrary<GeneratedJob> jobs() {
        // CloudWatch stores no empty messages (PutLogEvents requires at least one character).
        return JobGenerators.jobs().map(GeneratedJobsOnEmulatorIT::withoutEmptyMessages);
    }

    private static GeneratedJob withoutEmptyMessages(GeneratedJob job) {
        Map<String, List<LogEvent>> streams = new TreeMap<>();
        job.streams().forEach((name, events) -> streams.put(name, events.stream()
                .map(e -> e.message().isEmpty() ? new LogEvent(e.timestamp(), "-") : e).toList()));
        return new GeneratedJob(job.trainingId(), streams, job.start(), job.end());
    }
}
