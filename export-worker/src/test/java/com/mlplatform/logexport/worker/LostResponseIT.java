package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.faults.LostResponse;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.job.JobLedger;
import com.mlplatform.logexport.worker.time.Budget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * A DynamoDB write that commits on the server but whose response never reaches the worker: the SDK sends the
 * same request again, and the repeat fails the condition its own first attempt satisfied. The worker must take
 * the write as done, not as someone else's change (which would acknowledge the message and leave the job RUNNING
 * with nobody working on it).
 */
class LostResponseIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();

    private static ExportJob seededJob(String training) {
        long t0 = System.currentTimeMillis() - 3_600_000;
        try (var seeder = fx.seeder()) {
            for (int h = 1; h <= 2; h++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    events.add(new Event(t0 + i * 10L + h, "host " + h + " line " + i));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-" + h + "-1700000000", events);
            }
        }
        return fx.createJob(training, ExportOptions.DEFAULT);
    }

    private static void assertOwnWriteSurvivesLostResponse(int lostPut) {
        ExportJob job = seededJob("lost-response-" + lostPut);
        LostResponse interceptor = LostResponse.ofNth(PutItemRequest.class, lostPut);
        try (DynamoDbClient lossy = interceptor.dynamo(fx.clients.settings())) {
            WorkerSetup setup = fx.setup();
            Platform connected = Platform.connect(setup);
            Platform platform = new Platform(new JobLedger(new ExportJobRepository(lossy,
                    fx.platform.resources().exportsTable()), setup.clock()), connected.useCases(),
                    connected.queue(), connected.s3(), connected.bucket(), connected.sts(), connected.clients());
            ExportWorker worker = new ExportWorker(platform, setup);

            ExportWorker.Outcome outcome = worker.handle("m-1", ExportMessage.start(job.exportId()).toJson(),
                    Budget.of(Clock.systemUTC(), 900_000, Duration.ofSeconds(30)), "invocation-1", false);

            assertThat(interceptor.lost()).as("the response of PutItem #%d was dropped", lostPut).isEqualTo(1);
            assertThat(interceptor.seen()).as("and the SDK sent it again").isGreaterThan(lostPut);
            assertThat(outcome).isEqualTo(ExportWorker.Outcome.DONE);
            ExportJob done = fx.job(job.exportId());
            assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
            assertThat(fx.openUploads(job)).isZero();
        }
    }

    @Test
    void lostResponse_onTheCheckpointWrite_isRecognisedAsOwnWrite_andTheExportSucceeds() {
        assertOwnWriteSurvivesLostResponse(2); // 1: the claim, 2: the checkpoint with the upload id
    }

    @Test
    void lostResponse_onTheClaim_andOnTheSuccess_areRecognisedAsOwnWrites() {
        assertOwnWriteSurvivesLostResponse(1);
        assertOwnWriteSurvivesLostResponse(3); // the SUCCEEDED write of a one-invocation export
    }
}
