package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker end to end on the emulator: SQS event → AssumeRole → every stream merged → one S3 object. */
class ExportWorkerIT {

    private static WorkerFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new WorkerFixture();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

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
        assertThat(fx.openUploads()).isZero();
    }
}
