package com.mlplatform.logexport.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.api.RequestApiHandler;
import com.mlplatform.logexport.api.fanout.BatchFanoutHandler;
import com.mlplatform.logexport.api.fanout.FanoutConfig;
import com.mlplatform.logexport.api.fanout.FanoutSweep;
import com.mlplatform.logexport.api.fanout.FanoutSweepHandler;
import com.mlplatform.logexport.api.fanout.SweepConfig;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import com.mlplatform.logexport.worker.ExportWorkerHandler;
import com.mlplatform.logexport.worker.WorkerConfig;
import com.mlplatform.logexport.worker.WorkerSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Makes {@code ApiConfig.IAM_ACTIONS}, {@code WorkerConfig.IAM_ACTIONS} and {@code WorkerConfig.USECASE_ROLE_ACTIONS}
 * trustworthy, and with them the IAM policies that {@link TemplateCrossCheck} derives from them: both real handlers
 * run every route and a whole export on the emulator while a global SDK interceptor records each AWS operation
 * they send. Every recorded operation must map to a declared action, and CloudWatch Logs must only ever be called
 * with credentials other than the platform's (the assumed use-case role).
 */
class IamActionsIT {

    private static final String API = "request-api";
    private static final String WORKER = "export-worker";
    private static final String FANOUT = "batch-fanout";
    private static final String SWEEP = "fanout-sweep";
    private static final String USECASE = "uc-iam";
    /** The caller and origin of the request fixture, events/http-api-request.json. */
    private static final String USER = "alice";
    private static final String ORIGIN = "https://ml.example.com";
    private static final String LOG_GROUP = UseCase.DEFAULT_LOG_GROUP;
    private static final int ANY_BELOW_500 = -1;

    private static EmulatedPlatform platform;
    private static AwsClients clients;
    private static RequestApiHandler api;
    private static ExportWorkerHandler worker;
    private static String platformAccessKey;
    private static String downloadUrl;

    @BeforeAll
    static void runEverythingOnce() throws Exception {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        platformAccessKey = clients.settings().credentials().resolveCredentials().accessKeyId();
        String roleArn;
        try (var seeder = platform.seeder(Accounts.USECASE_A)) {
            roleArn = seeder.createReadRole("ext-iam");
            long t0 = System.currentTimeMillis() - 60_000;
            for (String training : List.of("iam-check-1", "iam-check-2", "iam-check-3")) {
                seeder.putEvents(LOG_GROUP, training + "/algo-1-1700000000",
                        List.of(new Event(t0, training + " start"), new Event(t0 + 20, training + " epoch 1")));
                seeder.putEvents(LOG_GROUP, training + "/algo-2-1700000000",
                        List.of(new Event(t0 + 10, training + " start on host 2")));
            }
        }
        new UseCaseRegistry(clients.dynamo(), platform.resources().usecasesTable())
                .put(new UseCase(USECASE, Accounts.USECASE_A, roleArn, "ext-iam", "us-east-1", LOG_GROUP, Set.of(USER)));

        RecordingInterceptor.clear();
        api = RecordingInterceptor.during(API, () -> new RequestApiHandler(clients, apiConfig()));
        worker = RecordingInterceptor.during(WORKER,
                () -> new ExportWorkerHandler(WorkerSetup.of(clients, WorkerConfig.defaults(platform.resources()))));

        // Every route, including the ones that write in batches and cancel. Routes other than create and status
        // need only not to fail (< 500): what matters here is which AWS calls they make.
        String single = json(call("POST", "/usecases/" + USECASE + "/trainings/iam-check-1/log-exports", null,
                Map.of("idempotency-key", UUID.randomUUID().toString()), 202)).path("exportId").asText();
        String toCancel = json(call("POST", "/usecases/" + USECASE + "/trainings/iam-check-2/log-exports", null,
                Map.of(), 202)).path("exportId").asText();
        call("DELETE", "/log-exports/" + toCancel, null, Map.of(), ANY_BELOW_500);
        var batch = call("POST", "/usecases/" + USECASE + "/log-exports",
                "{\"trainingIds\":[\"iam-check-3\"]}", Map.of(), ANY_BELOW_500);
        String batchId = batch.getStatusCode() == 202 ? json(batch).path("batchId").asText() : null;
        if (batchId != null) {
            call("GET", "/log-export-batches/" + batchId, null, Map.of(), ANY_BELOW_500);
            // An export of the batch before the fan-out created it: the status route reads the plan.
            call("GET", "/log-exports/" + json(batch).path("exports").path(0).path("exportId").asText(), null,
                    Map.of(), ANY_BELOW_500);
        }
        // The fan-out's message lost: the sweep, run as if its grace had passed, sends it again.
        FanoutConfig fanoutConfig = FanoutConfig.fromEnv(apiEnv());
        SweepConfig sweepConfig = SweepConfig.fromEnv(apiEnv());
        var sweep = RecordingInterceptor.during(SWEEP, () -> new FanoutSweepHandler(clients, sweepConfig,
                Clock.offset(Clock.systemUTC(), FanoutSweep.GRACE.plusMinutes(1))));
        clients.sqs().purgeQueue(r -> r.queueUrl(sweepConfig.fanoutQueueUrl()));
        RecordingInterceptor.during(SWEEP, () -> sweep.handleRequest(null, null));
        // The fan-out, delivered the way the SQS event source would.
        var fanout = RecordingInterceptor.during(FANOUT, () -> new BatchFanoutHandler(clients, fanoutConfig));
        for (int round = 0; round < 5; round++) {
            List<Message> messages = drain(sweepConfig.fanoutQueueUrl());
            if (messages.isEmpty()) {
                break;
            }
            var event = sqsEvent(messages);
            RecordingInterceptor.during(FANOUT, () -> fanout.handleRequest(event, null));
        }
        deliverAll();
        if (batchId != null) {
            // The batch's archive, once its export has finished: the API's transaction, the worker's archive job.
            call("POST", "/log-export-batches/" + batchId + "/archive", null, Map.of(), ANY_BELOW_500);
            deliverAll();
            JsonNode archived = json(call("GET", "/log-export-batches/" + batchId, null, Map.of(), 200));
            assertThat(archived.at("/archive/status").asText()).as("archive: %s", archived).isEqualTo("SUCCEEDED");
        }

        JsonNode status = json(call("GET", "/log-exports/" + single, null, Map.of(), 200));
        assertThat(status.path("status").asText()).as("export status: %s", status).isEqualTo("SUCCEEDED");
        downloadUrl = status.path("download").path("url").asText();
        call("GET", "/usecases/" + USECASE + "/trainings/iam-check-1/logs/download", null, Map.of(), ANY_BELOW_500);
    }

    /** Delivers what the API enqueued the way the SQS event source would, until nothing is left. */
    private static void deliverAll() throws Exception {
        for (int round = 0; round < 20; round++) {
            List<Message> messages = drainQueue();
            if (messages.isEmpty()) {
                return;
            }
            var event = sqsEvent(messages);
            RecordingInterceptor.during(WORKER, () -> worker.handleRequest(event, CountdownContext.ofMillis("export-worker", 120_000)));
        }
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void everyCallOfTheRequestApi_shouldBeDeclaredInApiConfig() {
        var calls = RecordingInterceptor.calls(API);
        report(API, calls);

        assertThat(undeclared(calls, ApiConfig.IAM_ACTIONS))
                .as("operations the request API sent whose IAM actions ApiConfig.IAM_ACTIONS does not declare")
                .isEmpty();
        assertThat(actions(calls)).as("the request API never reads training logs")
                .noneMatch(a -> a.startsWith("logs:"));
        assertThat(actions(calls)).as("sanity: the recording saw the API's writes")
                .contains("dynamodb:GetItem", "sqs:SendMessage");
    }

    @Test
    void everyCallOfTheFanoutAndItsSweep_shouldBeDeclaredInFanoutConfig() {
        var fanoutCalls = RecordingInterceptor.calls(FANOUT);
        var sweepCalls = RecordingInterceptor.calls(SWEEP);
        report(FANOUT, fanoutCalls);
        report(SWEEP, sweepCalls);

        assertThat(undeclared(fanoutCalls, FanoutConfig.IAM_ACTIONS)).as("fan-out calls not declared").isEmpty();
        assertThat(undeclared(sweepCalls, SweepConfig.IAM_ACTIONS)).as("sweep calls not declared").isEmpty();
        assertThat(actions(fanoutCalls)).as("sanity: the fan-out created and queued the batch's export")
                .contains("dynamodb:PutItem", "sqs:SendMessage");
        assertThat(actions(sweepCalls)).as("sanity: the sweep re-drove the batch")
                .contains("dynamodb:Query", "sqs:SendMessage");
    }

    @Test
    void everyPlatformCallOfTheWorker_shouldBeDeclaredInWorkerConfig() {
        var platformCalls = RecordingInterceptor.calls(WORKER).stream()
                .filter(c -> !c.service().equals("CloudWatchLogs")).toList();
        report(WORKER, RecordingInterceptor.calls(WORKER));

        assertThat(undeclared(platformCalls, WorkerConfig.IAM_ACTIONS))
                .as("operations the worker sent with its own role that WorkerConfig.IAM_ACTIONS does not declare")
                .isEmpty();
        assertThat(actions(platformCalls)).as("sanity: the recording saw a whole export")
                .contains("sts:AssumeRole", "s3:PutObject")
                .anyMatch(a -> a.startsWith("dynamodb:"));
    }

    @Test
    void theWorkerReadsLogs_onlyWithAssumedCredentials_andOnlyWhatTheUseCaseRoleGrants() {
        var logsCalls = RecordingInterceptor.calls(WORKER).stream()
                .filter(c -> c.service().equals("CloudWatchLogs")).toList();

        assertThat(logsCalls).as("the worker read the training logs").isNotEmpty();
        assertThat(undeclared(logsCalls, WorkerConfig.USECASE_ROLE_ACTIONS))
                .as("log operations beyond WorkerConfig.USECASE_ROLE_ACTIONS (what usecase-account-role.yaml grants)")
                .isEmpty();
        assertThat(logsCalls).extracting(RecordingInterceptor.Call::accessKeyId)
                .as("CloudWatch Logs calls must be signed with the assumed role's keys, never the platform's")
                .doesNotContain(platformAccessKey, "");
    }

    @Test
    void theDownloadUrl_shouldWork_signedWithTheApisOwnS3GetObject() throws Exception {
        assertThat(ApiConfig.IAM_ACTIONS).as("a presigned GET carries the signer's s3:GetObject permission")
                .contains("s3:GetObject");
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(downloadUrl)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("iam-check-1 epoch 1");
    }

    // ---------------------------------------------------------------- helpers

    private static ApiConfig apiConfig() {
        return ApiConfig.fromEnv(apiEnv());
    }

    private static Map<String, String> apiEnv() {
        PlatformResources r = platform.resources();
        Map<String, String> env = new HashMap<>();
        env.put(PlatformResources.ENV_EXPORTS_TABLE, r.exportsTable());
        env.put(PlatformResources.ENV_USECASES_TABLE, r.usecasesTable());
        env.put(PlatformResources.ENV_QUEUE_URL, r.queueUrl());
        env.put(PlatformResources.ENV_BUCKET, r.bucket());
        env.put(ApiConfig.ENV_CORS_ALLOWED_ORIGINS, ORIGIN);
        env.put(ApiConfig.ENV_FANOUT_QUEUE_URL, platform.provisioned().fanoutQueueUrl());
        return env;
    }

    private static APIGatewayV2HTTPResponse call(String method, String path, String body, Map<String, String> headers,
                                                 int expectedStatus) {
        var event = event(method, path, body, headers);
        var response = RecordingInterceptor.during(API, () -> api.handleRequest(event, null));
        if (expectedStatus == ANY_BELOW_500) {
            assertThat(response.getStatusCode()).as("%s %s -> %s", method, path, response.getBody()).isLessThan(500);
        } else {
            assertThat(response.getStatusCode()).as("%s %s -> %s", method, path, response.getBody())
                    .isEqualTo(expectedStatus);
        }
        return response;
    }

    /**
     * The fixture's request (API Gateway's HTTP API payload 2.0 after the JWT authorizer: {@value #USER} calling from
     * {@value #ORIGIN}) aimed at {@code method path}, with a request id of its own.
     */
    private static APIGatewayV2HTTPEvent event(String method, String path, String body, Map<String, String> headers) {
        var event = EventLoader.loadApiGatewayHttpEvent("events/http-api-request.json");
        event.setRawPath(path);
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
        event.getRequestContext().setRequestId(UUID.randomUUID().toString());
        event.getHeaders().putAll(headers);
        if (body != null) {
            event.getHeaders().put("content-type", "application/json");
            event.setBody(body);
        }
        return event;
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    private static List<Message> drainQueue() {
        return drain(platform.resources().queueUrl());
    }

    private static List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        var sqs = clients.sqs();
        while (true) {
            var got = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (got.isEmpty()) {
                return all;
            }
            for (Message m : got) {
                all.add(m);
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private static SQSEvent sqsEvent(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            var record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setBody(m.body());
            record.setEventSource("aws:sqs");
            records.add(record);
        }
        var event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static Set<String> actions(List<RecordingInterceptor.Call> calls) {
        return calls.stream().flatMap(c -> c.iamActions().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** "Service:Operation needs [actions]" for each call that needs an action outside {@code declared}. */
    private static Set<String> undeclared(List<RecordingInterceptor.Call> calls, List<String> declared) {
        return calls.stream().filter(c -> !declared.containsAll(c.iamActions()))
                .map(c -> c.service() + ":" + c.operation() + " needs " + c.iamActions())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void report(String who, List<RecordingInterceptor.Call> calls) {
        var counts = calls.stream().collect(Collectors.groupingBy(c -> c.service() + ":" + c.operation() + " -> "
                + c.iamActions(), java.util.TreeMap::new, Collectors.counting()));
        System.out.println("[iam] " + who + " sent " + calls.size() + " AWS calls:");
        counts.forEach((op, n) -> System.out.println("[iam]   " + op + " x" + n));
    }
}
