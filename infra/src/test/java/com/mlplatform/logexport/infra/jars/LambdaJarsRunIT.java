package com.mlplatform.logexport.infra.jars;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import com.mlplatform.logexport.worker.reconcile.ReconcilerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The deployment jars as they ship: each handler of each jar runs in a fresh JVM with only that jar (ProGuard's
 * output) on its class path, its events read by the Lambda runtime's own serializer ({@link HandlerDriver}), against
 * the emulator. A class the shrinking removed that a handler needs, by reference or by name, fails these tests.
 * The same runs measure initialisation (JVM start to first handled event) with and without SnapStart priming and
 * write them to {@code infra/target/lambda-init-times.md} (docs/deploy.md quotes them).
 */
class LambdaJarsRunIT {

    private static final String API_HANDLER = "com.mlplatform.logexport.api.RequestApiHandler";
    private static final String WORKER_HANDLER = "com.mlplatform.logexport.worker.ExportWorkerHandler";
    private static final String RECONCILER_HANDLER =
            "com.mlplatform.logexport.worker.reconcile.ExportReconcilerHandler";
    private static final String USECASE = "uc-jars";
    /** The caller and origin of the request fixture, events/http-api-request.json. */
    private static final String USER = "alice";
    private static final String ORIGIN = "https://ml.example.com";
    private static final String LOG_GROUP = UseCase.DEFAULT_LOG_GROUP;
    private static final List<String> TRAININGS = List.of("jar-run-1", "jar-run-2", "jar-run-3", "jar-run-4",
            "jar-run-5", "jar-run-6");

    private static EmulatedPlatform platform;
    private static AwsClients clients;
    private static Path workDir;

    @BeforeAll
    static void seedOneUseCase() throws IOException {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        workDir = Files.createDirectories(Emulator.projectRoot().resolve("infra/target/lambda-jars-run"));
        String roleArn;
        try (var seeder = platform.seeder(Accounts.USECASE_A)) {
            roleArn = seeder.createReadRole("ext-jars");
            long t0 = System.currentTimeMillis() - 60_000;
            for (String training : TRAININGS) {
                seeder.putEvents(LOG_GROUP, training + "/algo-1-1700000000",
                        List.of(new Event(t0, training + " start"), new Event(t0 + 20, training + " epoch 1")));
                seeder.putEvents(LOG_GROUP, training + "/algo-2-1700000000",
                        List.of(new Event(t0 + 10, training + " start on host 2")));
            }
        }
        new UseCaseRegistry(clients.dynamo(), platform.resources().usecasesTable())
                .put(new UseCase(USECASE, Accounts.USECASE_A, roleArn, "ext-jars", "us-east-1", LOG_GROUP,
                        Set.of(USER)));
    }

    /** Each test starts from an empty queue: what the others left there is not its work. */
    @BeforeEach
    void emptyTheQueue() {
        drainQueue();
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void requestApiJar_acceptsAnExportAndReportsItsStatus() throws Exception {
        try (var api = start("request-api", API_HANDLER, false)) {
            String exportId = accept(api, TRAININGS.get(0));

            JsonNode status = call(api, "GET", "/log-exports/" + exportId, 200);
            assertThat(status.path("exportId").asText()).isEqualTo(exportId);
            assertThat(status.path("status").asText()).isEqualTo("QUEUED");
        }
    }

    @Test
    void workerJar_exportsToSucceeded_andTheApiJarHandsOutAWorkingDownload() throws Exception {
        try (var api = start("request-api", API_HANDLER, true);
             var worker = start("export-worker", WORKER_HANDLER, true)) {
            String exportId = accept(api, TRAININGS.get(1));

            JsonNode batch = worker.invoke(SQSEvent.class, sqsEvent(drainQueue())).path("response");
            assertThat(batch.path("batchItemFailures")).as("worker answer: %s", batch).isEmpty();

            JsonNode status = call(api, "GET", "/log-exports/" + exportId, 200);
            assertThat(status.path("status").asText()).as("status: %s", status).isEqualTo("SUCCEEDED");
            var download = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(status.path("download").path("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).contains(TRAININGS.get(1) + " epoch 1");
        }
    }

    @Test
    void reconcilerJar_sweepsAndRedrivesAnExportWhoseMessageWasLost() throws Exception {
        try (var api = start("request-api", API_HANDLER, false)) {
            accept(api, TRAININGS.get(2));
        }
        drainQueue(); // the message is lost
        Thread.sleep(1_500); // past RECONCILER_QUEUED_GRACE_SECONDS

        try (var reconciler = start("export-worker", RECONCILER_HANDLER, true)) {
            JsonNode counts = reconciler.invoke(ScheduledEvent.class, scheduledEvent()).path("response");

            assertThat(counts.path("active").asInt()).as("counts: %s", counts).isGreaterThanOrEqualTo(1);
            assertThat(counts.fieldNames()).toIterable().as("counts: %s", counts).anyMatch(k -> k.startsWith("redriven_"));
            assertThat(drainQueue()).as("the re-driven message").isNotEmpty();
        }
    }

    /**
     * Priming is side-effect free (nothing written to the tables, nothing logged) and makes the first event
     * cheaper. Writes the measurements; times are asserted on nothing, they vary with the machine.
     */
    @Test
    void priming_writesNothing_logsNothing_andTheInitTimesAreRecorded() throws Exception {
        List<String> rows = new ArrayList<>();
        for (boolean prime : new boolean[] {false, true}) {
            int itemsBefore = exportItems();
            try (var api = start("request-api", API_HANDLER, prime)) {
                assertThat(exportItems()).as("items written while the API started (prime=%s)", prime)
                        .isEqualTo(itemsBefore);
                assertThat(api.outputBeforeReady()).as("stdout while the API started (prime=%s)", prime).isEmpty();
                JsonNode first = api.invoke(APIGatewayV2HTTPEvent.class,
                        apiEvent("POST", "/usecases/" + USECASE + "/trainings/" + TRAININGS.get(prime ? 4 : 3)
                                + "/log-exports", null));
                rows.add(row("request-api", "accept (POST .../log-exports)", prime, api.ready(), first));
            }
            try (var worker = start("export-worker", WORKER_HANDLER, prime)) {
                assertThat(worker.outputBeforeReady()).as("stdout while the worker started").isEmpty();
                JsonNode first = worker.invoke(SQSEvent.class, sqsEvent(drainQueue()));
                assertThat(first.path("response").path("batchItemFailures")).isEmpty();
                rows.add(row("export-worker", "one export to SUCCEEDED", prime, worker.ready(), first));
            }
            try (var reconciler = start("export-worker", RECONCILER_HANDLER, prime)) {
                assertThat(reconciler.outputBeforeReady()).as("stdout while the reconciler started").isEmpty();
                JsonNode first = reconciler.invoke(ScheduledEvent.class, scheduledEvent());
                rows.add(row("reconciler", "one sweep", prime, reconciler.ready(), first));
            }
        }
        String table = "| handler | first event | priming | JVM start to handler ready (ms) | of which priming (ms) "
                + "| first event (ms) | JVM start to first event done (ms) |\n|---|---|---|---|---|---|---|\n"
                + String.join("\n", rows) + "\n";
        Files.writeString(workDir.resolveSibling("lambda-init-times.md"), table);
        System.out.println("[lambda-init]\n" + table);
    }

    // ---------------------------------------------------------------- helpers

    private static DrivenJar start(String module, String handler, boolean prime)
            throws IOException, InterruptedException {
        Path jar = Emulator.projectRoot().resolve(module).resolve("target").resolve(module + "-lambda.jar");
        assertThat(jar).as("run `./mvnw package` first; infra/template.yaml deploys this file").exists();
        return DrivenJar.start(jar, handler, prime, lambdaEnvironment(), workDir);
    }

    /** The functions' variables as the template sets them, pointed at the emulator, with its keys. */
    private static Map<String, String> lambdaEnvironment() {
        PlatformResources r = platform.resources();
        var keys = clients.settings().credentials().resolveCredentials();
        Map<String, String> env = new LinkedHashMap<>();
        env.put(PlatformResources.ENV_EXPORTS_TABLE, r.exportsTable());
        env.put(PlatformResources.ENV_USECASES_TABLE, r.usecasesTable());
        env.put(PlatformResources.ENV_QUEUE_URL, r.queueUrl());
        env.put(PlatformResources.ENV_BUCKET, r.bucket());
        env.put(AwsSettings.ENV_REGION, Emulator.REGION.id());
        env.put(AwsSettings.ENV_ENDPOINT, platform.emulator().endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", keys.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey());
        env.put(ApiConfig.ENV_CORS_ALLOWED_ORIGINS, ORIGIN);
        env.put(ApiConfig.ENV_FANOUT_QUEUE_URL, platform.provisioned().fanoutQueueUrl());
        env.put(ReconcilerConfig.ENV_QUEUED_GRACE_SECONDS, "1");
        return env;
    }

    private static String accept(DrivenJar api, String training) throws Exception {
        return call(api, "POST", "/usecases/" + USECASE + "/trainings/" + training + "/log-exports", 202)
                .path("exportId").asText();
    }

    private static JsonNode call(DrivenJar api, String method, String path, int expectedStatus) throws Exception {
        JsonNode response = api.invoke(APIGatewayV2HTTPEvent.class, apiEvent(method, path, null)).path("response");
        assertThat(response.path("statusCode").asInt()).as("%s %s -> %s", method, path, response)
                .isEqualTo(expectedStatus);
        return Json.MAPPER.readTree(response.path("body").asText());
    }

    /** The fixture's request ({@value #USER} from {@value #ORIGIN}, after the JWT authorizer) at {@code path}. */
    private static String apiEvent(String method, String path, String body) throws IOException {
        ObjectNode event;
        try (InputStream in = LambdaJarsRunIT.class.getResourceAsStream("/events/http-api-request.json")) {
            event = (ObjectNode) Json.MAPPER.readTree(in);
        }
        event.put("rawPath", path);
        var context = (ObjectNode) event.path("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        ((ObjectNode) context.path("http")).put("method", method).put("path", path);
        if (body != null) {
            event.put("body", body);
        }
        return Json.MAPPER.writeValueAsString(event);
    }

    /** What the SQS event source delivers for these messages. */
    private static String sqsEvent(List<Message> messages) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Message m : messages) {
            Map<String, Object> record = new HashMap<>();
            record.put("messageId", m.messageId());
            record.put("receiptHandle", m.receiptHandle());
            record.put("body", m.body());
            record.put("attributes", Map.of("ApproximateReceiveCount", "1",
                    "SentTimestamp", Long.toString(System.currentTimeMillis())));
            record.put("messageAttributes", Map.of());
            record.put("md5OfBody", m.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:export-queue");
            record.put("awsRegion", "us-east-1");
            records.add(record);
        }
        return Json.MAPPER.writeValueAsString(Map.of("Records", records));
    }

    /** What the EventBridge schedule delivers. */
    private static String scheduledEvent() throws IOException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", "123456789012");
        event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", "us-east-1");
        event.put("resources", List.of("arn:aws:events:us-east-1:123456789012:rule/every-five-minutes"));
        event.put("detail", Map.of());
        return Json.MAPPER.writeValueAsString(event);
    }

    private static List<Message> drainQueue() {
        List<Message> all = new ArrayList<>();
        String url = platform.resources().queueUrl();
        while (true) {
            var got = clients.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (got.isEmpty()) {
                return all;
            }
            for (Message m : got) {
                all.add(m);
                clients.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private static int exportItems() {
        return clients.dynamo().scan(r -> r.tableName(platform.resources().exportsTable()).select("COUNT")).count();
    }

    private static String row(String handler, String event, boolean prime, JsonNode ready, JsonNode first) {
        long startToReady = ready.path("startToReadyMs").asLong();
        long firstMs = first.path("ms").asLong();
        return "| " + handler + " | " + event + " | " + (prime ? "yes" : "no") + " | " + startToReady + " | "
                + ready.path("primeMs").asLong() + " | " + firstMs + " | " + (startToReady + firstMs) + " |";
    }
}
