package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.api.RequestApiHandler;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.TemplateProvisioner;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.local.lambda.SqsEventSource;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import com.mlplatform.logexport.worker.ExportWorkerHandler;
import com.mlplatform.logexport.worker.WorkerConfig;
import com.mlplatform.logexport.worker.WorkerSetup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The walking skeleton: one export the whole way with the real handler classes on the emulator, step by step as
 * the platform runs it, with nothing in between that the cloud would not have:
 * HTTP API v2 event → request handler → QUEUED job + SQS message → receive → worker handler with the SQSEvent →
 * AssumeRole into the use-case account → read the training job's log streams → S3 object + SUCCEEDED →
 * status handler → presigned URL → plain HTTP GET returns the file.
 */
class EndToEndIT {

    private static final String USECASE = "uc-e2e";
    private static final String JOB = "e2e-train-job";
    private static final String GROUP = UseCase.DEFAULT_LOG_GROUP;

    private static EmulatedPlatform platform;
    private static AwsClients clients;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static S3Client s3;
    private static Map<String, String> env;
    private static long t0;

    @BeforeAll
    static void seed() {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        dynamo = clients.dynamo();
        sqs = clients.sqs();
        s3 = clients.s3();
        env = LambdaEnvironment.of(platform, 8080);
        t0 = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        String roleArn;
        try (UseCaseAccountSeeder seeder = platform.seeder(Accounts.USECASE_A)) {
            roleArn = seeder.createReadRole("ext-e2e");
            // Two hosts whose lines interleave in time: the file must merge them by timestamp.
            seeder.putEvents(GROUP, JOB + "/algo-1-" + t0 / 1000, List.of(
                    new UseCaseAccountSeeder.Event(t0 + 1_000, "algo-1 epoch 1 loss=0.91"),
                    new UseCaseAccountSeeder.Event(t0 + 3_000, "algo-1 epoch 2 loss=0.52 ✓")));
            seeder.putEvents(GROUP, JOB + "/algo-2-" + t0 / 1000, List.of(
                    new UseCaseAccountSeeder.Event(t0 + 2_000, "algo-2 epoch 1 loss=0.88"),
                    new UseCaseAccountSeeder.Event(t0 + 4_000, "algo-2 Traceback (most recent call last):\n  boom")));
        }
        new UseCaseRegistry(dynamo, platform.resources().usecasesTable()).put(new UseCase(USECASE,
                Accounts.USECASE_A, roleArn, "ext-e2e", Emulator.REGION.id(), GROUP, Set.of("alice")));
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void anExport_shouldTravelTheWholePipeline_andDownloadAsOneMergedFile() throws Exception {
        var api = new RequestApiHandler(clients, ApiConfig.fromEnv(env));
        var worker = new ExportWorkerHandler(WorkerSetup.of(clients, WorkerConfig.fromEnv(env)));

        // 1. An HTTP API (payload 2.0) event, as API Gateway sends it after the JWT authorizer.
        APIGatewayV2HTTPResponse accepted = api.handleRequest(CreateExportFixture.createExport(), context(30));
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String exportId = Json.MAPPER.readTree(accepted.getBody()).path("exportId").asText();

        // 2. A QUEUED job in DynamoDB and its message on the queue.
        ExportJobRepository jobs = new ExportJobRepository(dynamo, platform.resources().exportsTable());
        assertThat(jobs.find(exportId)).get().extracting(ExportJob::status).isEqualTo(ExportStatus.QUEUED);
        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(platform.resources().queueUrl())
                .maxNumberOfMessages(10).waitTimeSeconds(5)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(received).hasSize(1);
        assertThat(ExportMessage.parse(received.get(0).body()).exportId()).isEqualTo(exportId);

        // 3-6. The worker handler gets the SQSEvent, assumes the use case's role, reads both streams, writes S3.
        var response = worker.handleRequest(SqsEventSource.toEvent(received,
                platform.provisioned().queueArns().get(TemplateProvisioner.EXPORT_QUEUE), Emulator.REGION.id()),
                context(120));
        assertThat(response.getBatchItemFailures()).isEmpty();
        sqs.deleteMessage(r -> r.queueUrl(platform.resources().queueUrl())
                .receiptHandle(received.get(0).receiptHandle()));
        ExportJob done = jobs.find(exportId).orElseThrow();
        assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(done.result().bucket()).isEqualTo(platform.resources().bucket());
        assertThat(s3.headObject(r -> r.bucket(done.result().bucket()).key(done.result().key())).contentLength())
                .isEqualTo(done.result().sizeBytes()).isPositive();

        // 7. The status handler mints a presigned URL.
        APIGatewayV2HTTPResponse status = api.handleRequest(CreateExportFixture.onExport("GET", exportId), context(30));
        assertThat(status.getStatusCode()).as(status.getBody()).isEqualTo(200);
        JsonNode doc = Json.MAPPER.readTree(status.getBody());
        assertThat(doc.path("status").asText()).isEqualTo("SUCCEEDED");
        String url = doc.path("download").path("url").asText();
        assertThat(url).startsWith(platform.emulator().endpoint().toString()).contains("X-Amz-Signature=");

        // 8. A plain HTTP GET of that URL - no SDK, no credentials - returns the file.
        HttpResponse<String> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition")).get().asString().contains("attachment");
        String body = file.body();
        assertThat(body).contains("algo-1 epoch 1 loss=0.91", "algo-2 epoch 1 loss=0.88", "algo-1 epoch 2 loss=0.52 ✓",
                "algo-2 Traceback (most recent call last):", "  boom");
        assertThat(body.indexOf("algo-1 epoch 1")).as("merged by timestamp")
                .isLessThan(body.indexOf("algo-2 epoch 1"));
        assertThat(body.indexOf("algo-2 epoch 1")).isLessThan(body.indexOf("algo-1 epoch 2"));
        assertThat(body.indexOf("algo-1 epoch 2")).isLessThan(body.indexOf("algo-2 Traceback"));
    }

    private static CountdownContext context(int timeoutSeconds) {
        return new CountdownContext("e2e", Duration.ofSeconds(timeoutSeconds), Clock.systemUTC());
    }
}
