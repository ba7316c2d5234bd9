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
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import com.mlplatform.logexport.shared.events.ExportFinished;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import com.mlplatform.logexport.worker.ExportWorkerHandler;
import com.mlplatform.logexport.worker.WorkerConfig;
import com.mlplatform.logexport.worker.WorkerSetup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Completion events on the emulator's EventBridge, received as a consumer would (a rule on the default bus that
 * targets a queue, {@link CompletionEventWatch}): one event per finished export — a success, a failure and a
 * cancel — and a redelivered message's event carries the same id.
 */
class CompletionEventsIT {

    private static final String USECASE = "uc-events";
    private static final String WITH_LOGS = "events-ok-job";
    private static final String NO_LOGS = "events-empty-job";
    private static final String TO_CANCEL = "events-cancel-job";

    private static EmulatedPlatform platform;
    private static AwsClients clients;
    private static Map<String, String> env;
    private static CompletionEventWatch watch;

    @BeforeAll
    static void seed() {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        env = LambdaEnvironment.of(platform, 8080);
        long t0 = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        String roleArn;
        try (UseCaseAccountSeeder seeder = platform.seeder(Accounts.USECASE_A)) {
            roleArn = seeder.createReadRole("ext-events");
            for (String job : List.of(WITH_LOGS, TO_CANCEL)) {
                seeder.putEvents(UseCase.DEFAULT_LOG_GROUP, job + "/algo-1-" + t0 / 1000, List.of(
                        new UseCaseAccountSeeder.Event(t0 + 1_000, "epoch 1 loss=0.91"),
                        new UseCaseAccountSeeder.Event(t0 + 2_000, "epoch 2 loss=0.52")));
            }
        }
        new UseCaseRegistry(clients.dynamo(), platform.resources().usecasesTable()).put(new UseCase(USECASE,
                Accounts.USECASE_A, roleArn, "ext-events", Emulator.REGION.id(), UseCase.DEFAULT_LOG_GROUP,
                Set.of("alice")));
        watch = CompletionEventWatch.create(clients, EventBridgeCompletionEvents.DEFAULT_BUS,
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void close() {
        watch.close();
        clients.close();
    }

    @Test
    void everyFinishedExport_putsOneEvent_successFailureAndCancel_andARedeliveryRepeatsTheSameId() throws Exception {
        var api = new RequestApiHandler(clients, ApiConfig.fromEnv(env));
        var worker = new ExportWorkerHandler(WorkerSetup.of(clients, WorkerConfig.fromEnv(env)));
        String ok = create(api, WITH_LOGS);
        String failed = create(api, NO_LOGS);
        String cancelled = create(api, TO_CANCEL);
        APIGatewayV2HTTPResponse cancel = api.handleRequest(CreateExportFixture.onExport("DELETE", cancelled), context());
        assertThat(cancel.getStatusCode()).as(cancel.getBody()).isEqualTo(202);

        List<Message> messages = receiveAll(3);
        var handled = worker.handleRequest(toEvent(messages), context());
        assertThat(handled.getBatchItemFailures()).isEmpty();

        List<JsonNode> events = awaitEvents(3);
        assertThat(watch.receive(2)).as("nothing more: one event per export").isEmpty();
        Map<String, JsonNode> byExport = events.stream().collect(Collectors.toMap(
                e -> e.path("detail").path("exportId").asText(), Function.identity()));
        assertThat(byExport).containsOnlyKeys(ok, failed, cancelled);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("source").asText()).isEqualTo(ExportFinished.SOURCE);
            assertThat(e.path("detail-type").asText()).isEqualTo(ExportFinished.DETAIL_TYPE);
            assertThat(e.path("detail").path("usecaseId").asText()).isEqualTo(USECASE);
            assertThat(e.path("detail").toString()).as("no URL, no requester")
                    .doesNotContain("alice").doesNotContain("http");
        });
        JsonNode success = byExport.get(ok).path("detail");
        assertThat(success.path("eventId").asText()).isEqualTo(ok + ":SUCCEEDED");
        assertThat(success.path("trainingId").asText()).isEqualTo(WITH_LOGS);
        assertThat(success.path("sizeBytes").asLong()).isPositive();
        assertThat(success.path("eventCount").asLong()).isEqualTo(2);
        JsonNode failure = byExport.get(failed).path("detail");
        assertThat(failure.path("status").asText()).isEqualTo("FAILED");
        assertThat(failure.path("errorCode").asText()).isEqualTo("NO_LOGS");
        assertThat(failure.path("sizeBytes").isNull()).isTrue();
        assertThat(byExport.get(cancelled).path("detail").path("eventId").asText())
                .as("put by the API, which wrote the cancel; the worker only noticed it")
                .isEqualTo(cancelled + ":CANCELLED");

        // SQS delivers the successful export's message again: its event comes again, with the same id.
        worker.handleRequest(toEvent(List.of(messageOf(messages, ok))), context());
        assertThat(awaitEvents(1)).singleElement()
                .satisfies(e -> assertThat(e.path("detail").path("eventId").asText()).isEqualTo(ok + ":SUCCEEDED"));
    }

    private static String create(RequestApiHandler api, String trainingId) throws IOException {
        APIGatewayV2HTTPEvent e = CreateExportFixture.createExport();
        String path = "/usecases/" + USECASE + "/trainings/" + trainingId + "/log-exports";
        e.setRawPath(path);
        e.setPathParameters(Map.of("usecaseId", USECASE, "trainingId", trainingId));
        e.getRequestContext().getHttp().setPath(path);
        APIGatewayV2HTTPResponse r = api.handleRequest(e, context());
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        return Json.MAPPER.readTree(r.getBody()).path("exportId").asText();
    }

    private static List<Message> receiveAll(int count) {
        List<Message> all = new ArrayList<>();
        String url = platform.resources().queueUrl();
        for (int i = 0; i < 10 && all.size() < count; i++) {
            all.addAll(clients.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2))
                    .messages());
        }
        assertThat(all).hasSize(count);
        all.forEach(m -> clients.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
        return all;
    }

    private static Message messageOf(List<Message> messages, String exportId) {
        return messages.stream().filter(m -> m.body().contains(exportId)).findFirst().orElseThrow();
    }

    private static List<JsonNode> awaitEvents(int count) {
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < 10 && events.size() < count; i++) {
            events.addAll(watch.receive(2));
        }
        assertThat(events).hasSize(count);
        return events;
    }

    private static com.amazonaws.services.lambda.runtime.events.SQSEvent toEvent(List<Message> messages) {
        return SqsEventSource.toEvent(messages, platform.provisioned().queueArns().get(TemplateProvisioner.EXPORT_QUEUE),
                Emulator.REGION.id());
    }

    private static CountdownContext context() {
        return new CountdownContext("events", Duration.ofSeconds(120), Clock.systemUTC());
    }
}
