package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.job.JobLedger;
import com.mlplatform.logexport.worker.time.Budget;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
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

    /**
     * Drops the response of the {@code n}-th PutItem (after the server committed it) by failing the attempt with an
     * I/O error in {@code afterTransmission}: the SDK's retry stage wraps the transmission and its interceptors and
     * retries an {@link SdkClientException} caused by an {@link IOException}, so the SDK sends the request again
     * as it would after a connection reset. (An unchecked exception of another kind is not retried.)
     */
    static final class LoseNthPutResponse implements ExecutionInterceptor {
        private final int n;
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();

        LoseNthPutResponse(int n) {
            this.n = n;
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest && puts.incrementAndGet() == n) {
                SdkHttpResponse response = context.httpResponse();
                if (response.isSuccessful()) {
                    lost.incrementAndGet();
                    throw SdkClientException.create("response lost",
                            new IOException("connection reset after the write committed"));
                }
            }
        }
    }

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
        LoseNthPutResponse interceptor = new LoseNthPutResponse(lostPut);
        var settings = fx.clients.settings();
        try (var http = UrlConnectionHttpClient.builder().build();
             DynamoDbClient lossy = DynamoDbClient.builder().region(settings.region())
                     .credentialsProvider(settings.credentials()).httpClient(http)
                     .endpointOverride(settings.endpointOverride().orElseThrow())
                     .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.legacyRetryStrategy())
                             .addExecutionInterceptor(interceptor))
                     .build()) {
            WorkerSetup setup = fx.setup();
            Platform connected = Platform.connect(setup);
            Platform platform = new Platform(new JobLedger(new ExportJobRepository(lossy,
                    fx.platform.resources().exportsTable()), setup.clock()), connected.useCases(),
                    connected.queue(), connected.s3(), connected.bucket(), connected.sts(), connected.clients());
            ExportWorker worker = new ExportWorker(platform, setup);

            ExportWorker.Outcome outcome = worker.handle("m-1", ExportMessage.start(job.exportId()).toJson(),
                    Budget.of(Clock.systemUTC(), 900_000, Duration.ofSeconds(30)), "invocation-1", false);

            assertThat(interceptor.lost.get()).as("the response of PutItem #%d was dropped", lostPut).isEqualTo(1);
            assertThat(interceptor.puts.get()).as("and the SDK sent it again").isGreaterThan(lostPut);
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
