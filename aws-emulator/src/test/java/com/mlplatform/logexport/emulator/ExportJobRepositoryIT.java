package com.mlplatform.logexport.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.job.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job state machine holds on a real DynamoDB API: conditional writes, not read-then-write. */
class ExportJobRepositoryIT {

    private static AwsClients clients;
    private static ExportJobRepository repository;

    @BeforeAll
    static void setUp() {
        var platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        repository = new ExportJobRepository(clients.dynamo(), platform.resources().exportsTable());
    }

    @AfterAll
    static void tearDown() {
        clients.close();
    }

    private static ExportJob newJob() {
        return ExportJob.queued(ExportIds.newExportId(), "uc-a", "train-1", "alice", ExportOptions.DEFAULT, null,
                Instant.now());
    }

    @Test
    void create_shouldRefuseASecondJobWithTheSameId() {
        var job = newJob();
        assertThat(repository.create(job)).isTrue();
        assertThat(repository.create(job)).as("conditional put on attribute_not_exists").isFalse();
        assertThat(repository.find(job.exportId())).contains(job);
    }

    @Test
    void replace_shouldFail_whenSomeoneElseWroteFirst() {
        var job = newJob();
        repository.create(job);
        var running = withStatus(job, ExportStatus.RUNNING);

        assertThat(repository.replace(job, running)).isPresent();
        assertThat(repository.replace(job, running)).as("stale version must lose").isEmpty();
    }

    @Test
    void replace_shouldNeverMoveAFinishedJobBack() {
        var job = newJob();
        repository.create(job);
        var running = repository.replace(job, withStatus(job, ExportStatus.RUNNING)).orElseThrow();
        var done = repository.replace(running, withStatus(running, ExportStatus.SUCCEEDED)).orElseThrow();

        assertThatThrownBy(() -> repository.replace(done, withStatus(done, ExportStatus.RUNNING)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(repository.finishIfActive(done.exportId(), ExportStatus.CANCELLED, null, Instant.now()))
                .as("cancel after success").isFalse();
        assertThat(repository.find(job.exportId()).orElseThrow().status()).isEqualTo(ExportStatus.SUCCEEDED);
    }

    @Test
    void finishIfActive_shouldFailAQueuedJob_withItsReason() {
        var job = newJob();
        repository.create(job);
        var error = new JobError(ErrorCode.INVALID_REQUEST, "unreadable message", "corr-9");

        assertThat(repository.finishIfActive(job.exportId(), ExportStatus.FAILED, error, Instant.now())).isTrue();

        var stored = repository.find(job.exportId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(stored.error()).isEqualTo(error);
        assertThat(stored.version()).as("every write bumps the version").isEqualTo(1);
        assertThat(repository.finishIfActive("exp-does-not-exist", ExportStatus.FAILED, error, Instant.now()))
                .isFalse();
    }

    /**
     * Many rounds of racing writers: on AWS, DynamoDB evaluates a condition and writes atomically. moto alone does not
     * (its threads race between check and write); MotoServer starts it with moto_atomic_server.py, which restores
     * that guarantee. Without it this test fails within a few rounds.
     */
    @Test
    void replace_underConcurrency_shouldLetExactlyOneWriterWin() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 25; round++) {
                var job = newJob();
                repository.create(job);
                var start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return repository.replace(job, withStatus(job, ExportStatus.RUNNING)).isPresent();
                    }));
                }
                start.countDown();
                int winners = 0;
                for (var r : results) {
                    winners += r.get() ? 1 : 0;
                }
                assertThat(winners).as("winners in round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static ExportJob withStatus(ExportJob j, ExportStatus status) {
        return new ExportJob(j.exportId(), j.usecaseId(), j.trainingId(), j.requestedBy(), j.options(), status,
                j.createdAt(), Instant.now(), j.batchId(), new Progress(0, 0, 0, 0), j.error(), j.result(),
                j.checkpoint(), j.version());
    }
}
