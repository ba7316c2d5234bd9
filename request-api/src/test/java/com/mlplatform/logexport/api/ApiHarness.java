package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mlplatform.logexport.api.accept.QueueSends;
import com.mlplatform.logexport.api.fanout.BatchFanoutHandler;
import com.mlplatform.logexport.api.fanout.FanoutConfig;
import com.mlplatform.logexport.api.fanout.SweepConfig;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.shared.message.ExportMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real handler on a freshly provisioned emulator, with two use cases in two accounts:
 * {@code uc-a} (members alice, bob) and {@code uc-b} (member carol). A JUnit 5 extension, one emulator per test
 * class: {@code @RegisterExtension static final ApiHarness api = new ApiHarness();}. Where JUnit's lifecycle does
 * not apply (jqwik properties, a benchmark that wants a fresh emulator per run), {@link #started()} and
 * {@link #close()}.
 */
final class ApiHarness implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    static final String UC_A = "uc-a";
    static final String UC_B = "uc-b";
    private static final int MAX_FANOUT_DELIVERIES = 100;

    EmulatedPlatform platform;
    AwsClients clients;
    PlatformResources resources;
    UseCaseRegistry registry;
    RequestApiHandler handler;

    static ApiHarness started() {
        ApiHarness harness = new ApiHarness();
        harness.start();
        return harness;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void start() {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        resources = platform.resources();
        registry = new UseCaseRegistry(clients.dynamo(), resources.usecasesTable());
        registry.put(useCase(UC_A, Accounts.USECASE_A, Set.of("alice", "bob")));
        registry.put(useCase(UC_B, Accounts.USECASE_B, Set.of("carol")));
        handler = new RequestApiHandler(clients, config());
    }

    static UseCase useCase(String id, String account, Set<String> members) {
        return new UseCase(id, account, "arn:aws:iam::" + account + ":role/PlatformLogExportReadRole", "ext-" + id,
                "us-east-1", null, members);
    }

    /** Replaces the handler with one built on {@code config} (e.g. a lower active-export cap). */
    void reconfigure(ApiConfig config) {
        handler = new RequestApiHandler(clients, config);
    }

    /** Replaces the handler with one whose queue port is wrapped by {@code queue}. */
    void reconfigure(UnaryOperator<QueueSends> queue) {
        handler = new RequestApiHandler(clients, config(), queue);
    }

    ApiConfig config() {
        return ApiConfig.fromEnv(env(Map.of()));
    }

    Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put(PlatformResources.ENV_EXPORTS_TABLE, resources.exportsTable());
        env.put(PlatformResources.ENV_USECASES_TABLE, resources.usecasesTable());
        env.put(PlatformResources.ENV_QUEUE_URL, resources.queueUrl());
        env.put(PlatformResources.ENV_BUCKET, resources.bucket());
        env.put(ApiConfig.ENV_FANOUT_QUEUE_URL, fanoutQueueUrl());
        env.put(ApiConfig.ENV_CORS_ALLOWED_ORIGINS, HttpApiEvents.ORIGIN);
        env.putAll(overrides);
        return env;
    }

    String fanoutQueueUrl() {
        return platform.provisioned().fanoutQueueUrl();
    }

    FanoutConfig fanoutConfig() {
        return new FanoutConfig(resources.exportsTable(), resources.queueUrl());
    }

    SweepConfig sweepConfig() {
        return new SweepConfig(resources.exportsTable(), fanoutQueueUrl());
    }

    /**
     * Stands in for Lambda's SQS event source of the fan-out, one pass: receives the messages waiting on the fan-out
     * queue and hands each to {@code handler} once, deleting those it did not report as failed (a failed one is
     * visible again at once, for the next pass). Returns how many deliveries it made.
     */
    int deliverFanoutOnce(BatchFanoutHandler handler) {
        var sqs = clients.sqs(); // owned by the harness's AwsClients: not closed here
        int deliveries = 0;
        for (var m : sqs.receiveMessage(r -> r.queueUrl(fanoutQueueUrl()).maxNumberOfMessages(10)
                .visibilityTimeout(0)).messages()) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setBody(m.body());
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(record));
            deliveries++;
            if (handler.handleRequest(event, null).getBatchItemFailures().isEmpty()) {
                sqs.deleteMessage(r -> r.queueUrl(fanoutQueueUrl()).receiptHandle(m.receiptHandle()));
            }
        }
        return deliveries;
    }

    /** Runs the real fan-out until the fan-out queue is empty; returns how many deliveries it made. */
    int runFanout() {
        BatchFanoutHandler handler = new BatchFanoutHandler(clients, fanoutConfig());
        int deliveries = 0;
        for (int pass = deliverFanoutOnce(handler); pass > 0; pass = deliverFanoutOnce(handler)) {
            deliveries += pass;
            if (deliveries > MAX_FANOUT_DELIVERIES) {
                throw new AssertionError("the fan-out keeps failing: " + deliveries + " deliveries");
            }
        }
        return deliveries;
    }

    Reply call(String method, String path, String user, String body, Map<String, String> headers) {
        APIGatewayV2HTTPResponse r = handler.handleRequest(HttpApiEvents.event(method, path, user, body, headers), null);
        return new Reply(r.getStatusCode(), r.getHeaders(), r.getBody());
    }

    Reply call(String method, String path, String user, String body) {
        return call(method, path, user, body, Map.of());
    }

    Reply call(String method, String path, String user) {
        return call(method, path, user, null, Map.of());
    }

    ExportJobRepository repo() {
        return new ExportJobRepository(clients.dynamo(), resources.exportsTable());
    }

    /** Stands in for export-worker: writes the file and moves the job QUEUED -> RUNNING -> SUCCEEDED. */
    void succeed(String exportId, String filename, String content) {
        var repo = repo();
        ExportJob job = repo.find(exportId).orElseThrow();
        String key = "exports/" + exportId + "/" + filename;
        var s3 = clients.s3(); // owned by the harness's AwsClients: not closed here
        s3.putObject(r -> r.bucket(resources.bucket()).key(key), RequestBody.fromString(content));
        ExportJob running = repo.replace(job, with(job, ExportStatus.RUNNING, null)).orElseThrow();
        repo.replace(running, with(running, ExportStatus.SUCCEEDED, new ExportResult(resources.bucket(), key,
                filename, "text/plain; charset=utf-8", content.getBytes(StandardCharsets.UTF_8).length)))
                .orElseThrow();
    }

    static ExportJob with(ExportJob j, ExportStatus status, ExportResult result) {
        return new ExportJob(j.exportId(), j.usecaseId(), j.trainingId(), j.requestedBy(), j.options(), status,
                j.createdAt(), Instant.now(), j.batchId(), new Progress(1, status == ExportStatus.SUCCEEDED ? 1 : 0,
                1, 30), null, result, null, j.version());
    }

    /** Messages waiting on the export queue (moto reports this exactly). */
    int queueDepth() {
        var sqs = clients.sqs(); // owned by the harness's AwsClients: not closed here
        return Integer.parseInt(sqs.getQueueAttributes(r -> r.queueUrl(resources.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** Empties the queue at once (draining 1,000 messages from moto takes minutes, see BatchExportIT). */
    void purgeQueue() {
        var sqs = clients.sqs(); // owned by the harness's AwsClients: not closed here
        sqs.purgeQueue(r -> r.queueUrl(resources.queueUrl()));
    }

    /** The export ids of all messages on the queue, drained. */
    List<String> drainQueue() {
        List<String> ids = new ArrayList<>();
        var sqs = clients.sqs(); // owned by the harness's AwsClients: not closed here
        while (true) {
            var batch = sqs.receiveMessage(r -> r.queueUrl(resources.queueUrl()).maxNumberOfMessages(10)
                    .visibilityTimeout(600)).messages();
            if (batch.isEmpty()) {
                return ids;
            }
            var deletes = new ArrayList<DeleteMessageBatchRequestEntry>();
            for (var m : batch) {
                try {
                    ids.add(ExportMessage.parse(m.body()).exportId());
                } catch (ExportMessage.MalformedMessageException e) {
                    throw new AssertionError("malformed message on the queue: " + m.body(), e);
                }
                deletes.add(DeleteMessageBatchRequestEntry.builder().id("m" + deletes.size())
                        .receiptHandle(m.receiptHandle()).build());
            }
            sqs.deleteMessageBatch(r -> r.queueUrl(resources.queueUrl()).entries(deletes));
        }
    }

    /** Every job record for a user (guard items are not in the user-index GSI, so they never show up here). */
    List<ExportJob> jobsOf(String userId) {
        List<ExportJob> out = new ArrayList<>();
        var dynamo = clients.dynamo(); // owned by the harness's AwsClients: not closed here
        dynamo.queryPaginator(r -> r.tableName(resources.exportsTable()).indexName("user-index")
                        .keyConditionExpression("requestedBy = :u")
                        .expressionAttributeValues(Map.of(":u",
                                AttributeValue.fromS(ExportJobItem.userKey(userId)))))
                .items().forEach(i -> out.add(ExportJobItem.fromItem(i)));
        return out;
    }

    @Override
    public void close() {
        clients.close();
    }

    /** A response with its body parsed. */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String text(String pointer) {
            return json().at(pointer).asText();
        }

        Reply assertStatus(int expected) {
            assertThat(status).as("status of response %s", body).isEqualTo(expected);
            return this;
        }

        Reply assertError(int expectedStatus, String code) {
            assertStatus(expectedStatus);
            assertThat(text("/error/code")).isEqualTo(code);
            assertThat(text("/error/message")).isNotBlank();
            assertThat(text("/error/requestId")).isNotBlank();
            assertThat(headers).containsKey("Access-Control-Allow-Origin");
            return this;
        }
    }
}
