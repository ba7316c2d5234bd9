package com.mlplatform.logexport.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.testing.ExportFileParser;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What moto cannot do: throttling, 5xx, empty pages in the middle of a stream, expired session tokens. A WireMock
 * proxy sits between the worker's SDK clients and the emulator and injects those faults into otherwise real
 * traffic; everything it does not intercept reaches moto unchanged.
 */
class FaultInjectionIT {

    private static final String LOGS = "Logs_20140328.";
    private static final String JSON = "application/x-amz-json-1.1";
    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();
    private static WireMockServer proxy;
    private static AwsClients proxyClients;

    @BeforeAll
    static void startProxy() {
        proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        proxy.start();
        proxyClients = new AwsClients(new AwsSettings(Emulator.REGION,
                Optional.of(URI.create("http://127.0.0.1:" + proxy.port())),
                fx.platform.emulator().platformSettings().credentials()));
    }

    @AfterAll
    static void stopProxy() {
        proxyClients.close();
        proxy.stop();
    }

    @BeforeEach
    void resetProxy() {
        proxy.resetAll();
        passThroughByDefault();
    }

    private static void passThroughByDefault() {
        proxy.stubFor(any(anyUrl()).atPriority(100)
                .willReturn(aResponse().proxiedFrom(fx.platform.emulator().endpoint().toString())));
    }

    private static ExportJob seededJob(String training, int eventsPerHost) {
        long t0 = System.currentTimeMillis() - 3_600_000;
        try (var seeder = fx.seeder()) {
            for (int h = 1; h <= 2; h++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < eventsPerHost; i++) {
                    events.add(new Event(t0 + i * 10L + h, "host " + h + " line " + i));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-" + h + "-1700000000", events);
            }
        }
        return fx.createJob(training, ExportOptions.DEFAULT);
    }

    private static MappingBuilder logsCall(String operation) {
        return post(urlMatching("/.*")).withHeader("X-Amz-Target", equalTo(LOGS + operation));
    }

    /** The stub answers {@code times} times in a row (a WireMock scenario), then steps aside. */
    private static void times(int times, String scenario, java.util.function.Supplier<MappingBuilder> request,
                              com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        for (int i = 0; i < times; i++) {
            proxy.stubFor(request.get().atPriority(1).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : scenario + "-" + i)
                    .willSetStateTo(scenario + "-" + (i + 1)).willReturn(response));
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder jsonError(int status, String type) {
        return aResponse().withStatus(status).withHeader("Content-Type", JSON)
                .withBody("{\"__type\":\"" + type + "\",\"message\":\"injected by the test proxy\"}");
    }

    /** The worker as Lambda builds it, but with every AWS call going through the proxy. */
    private static WorkerSetup throughProxy() {
        return WorkerSetup.of(proxyClients, fx.config());
    }

    /** Runs the export to its end through the proxy; returns the invocations it took. */
    private static int exportThroughProxy(ExportJob job, WorkerFixture.LogSink log) {
        return fx.runToCompletion(new ExportWorkerHandler(throughProxy().withLog(log.log())), WorkerFixture.start(job),
                120_000);
    }

    /**
     * A first invocation of 5 s (3 s of work) through a proxy that throttles: the job must still be RUNNING with
     * one continuation queued; once the throttling stops, that continuation completes the export.
     */
    private static void assertPausesWhileThrottled_thenCompletes(ExportJob job, int events) {
        ExportWorkerHandler handler = new ExportWorkerHandler(WorkerSetup.of(proxyClients,
                fx.config().withSafetyMargin(Duration.ofSeconds(2))));

        handler.handleRequest(WorkerFixture.start(job), CountdownContext.ofMillis("export-worker", 5_000));

        assertThat(fx.job(job.exportId()).status()).as("never a failure while throttled")
                .isEqualTo(ExportStatus.RUNNING);
        List<String> continuation = fx.drainQueue();
        assertThat(continuation).hasSize(1);
        proxy.resetAll();
        passThroughByDefault(); // the account's request rate recovers
        fx.runToCompletion(handler, WorkerFixture.event(continuation.get(0)), 120_000);
        assertComplete(job, events);
    }

    private static void assertComplete(ExportJob job, int events) {
        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        var text = ExportFileParser.text(fx.object(done.result().key()));
        assertThat(text.events()).as("every event exactly once").hasSize(events).doesNotHaveDuplicates();
        List<String> timestamps = text.events().stream().map(ExportFileParser.Line::timestamp).toList();
        assertThat(timestamps).isSorted();
    }

    /** Attempts the SDK makes per call before it gives up (AwsClients: legacy retry mode, 4 in all). */
    private static final int SDK_ATTEMPTS = 4;

    /**
     * The contract, whichever reader runs (sequential or read-ahead, which reads both streams' first pages at once):
     * throttling past the SDK's own retries reaches the worker's backoff in the merge's thread, is retried there, and
     * the export completes with every event exactly once. Each stream's first page is throttled once more than the
     * SDK tries, so exactly one backoff per stream must run, whatever thread made the throttled calls. (Faults
     * counted over all calls, as before, would be absorbed by the SDK when two calls share them.)
     */
    @Test
    void throttledGetLogEvents_pastTheSdksRetries_backsOffOncePerStream_andWritesEveryEventOnce() {
        ExportJob job = seededJob("throttled-1", 300);
        for (int h = 1; h <= 2; h++) {
            String stream = "throttled-1/algo-" + h + "-1700000000";
            times(SDK_ATTEMPTS + 1, "throttle-" + h, () -> logsCall("GetLogEvents")
                    .withRequestBody(matchingJsonPath("$.logStreamName", equalTo(stream))),
                    jsonError(400, "ThrottlingException"));
        }
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();

        int invocations = exportThroughProxy(job, log);

        assertComplete(job, 600);
        assertThat(invocations).as("retried within the invocation's budget: no continuation").isEqualTo(1);
        assertThat(log.lines().stream().filter(l -> l.contains("\"event\":\"backoff\"")
                && l.contains("logs:GetLogEvents"))).as("our own backoff, once per throttled stream").hasSize(2);
        assertThat(proxy.getAllScenarios().getScenarios()).as("every fault served").allSatisfy(s ->
                assertThat(s.getState()).isEqualTo(s.getName() + "-" + (SDK_ATTEMPTS + 1)));
    }

    @Test
    void serverErrors_fromCloudWatchAndS3_areRetried() {
        ExportJob job = seededJob("server-errors-1", 300);
        times(4, "describe-500", () -> logsCall("DescribeLogStreams"), jsonError(500, "ServiceUnavailableException"));
        times(4, "s3-503", () -> put(urlMatching("/.*partNumber=.*")), aResponse().withStatus(503)
                .withHeader("Content-Type", "application/xml")
                .withBody("<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"));

        exportThroughProxy(job, new WorkerFixture.LogSink());

        assertComplete(job, 600);
        assertThat(proxy.getAllScenarios().getScenarios()).allSatisfy(s ->
                assertThat(s.getState()).as("every injected fault was served: %s", s.getName()).endsWith("-4"));
    }

    @Test
    void emptyPagesInTheMiddleOfAStream_areNotMistakenForItsEnd() {
        ExportJob job = seededJob("empty-pages-1", 25_000);
        // An empty page whose token differs from the one sent (moto reads "f/000…N " like "f/000…N"): AWS's
        // documented mid-stream behaviour. Served twice in a row, then the stream continues.
        var emptyPage = aResponse().withStatus(200).withHeader("Content-Type", JSON)
                .withBody("{\"events\":[],\"nextForwardToken\":\"{{jsonPath request.body '$.nextToken'}} \","
                        + "\"nextBackwardToken\":\"b/0\"}")
                .withTransformers("response-template");
        times(2, "empty", () -> logsCall("GetLogEvents").withRequestBody(
                matchingJsonPath("$.nextToken", matching("f/[0-9]+ ?"))), emptyPage);

        exportThroughProxy(job, new WorkerFixture.LogSink());

        assertComplete(job, 50_000);
        assertThat(proxy.getAllScenarios().getScenarios().get(0).getState()).isEqualTo("empty-2");
    }

    @Test
    void expiredSessionToken_refreshesCredentials_andRetriesOnce() {
        ExportJob job = seededJob("expired-token-1", 100);
        times(1, "expired", () -> logsCall("GetLogEvents"), jsonError(400, "ExpiredTokenException"));
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();

        exportThroughProxy(job, log);

        assertComplete(job, 200);
        assertThat(log.count("credentials_refreshed")).isEqualTo(1);
        proxy.verify(2, postRequestedFor(urlMatching("/.*")).withRequestBody(containing("Action=AssumeRole")));
    }

    @Test
    void throttlingLongerThanTheBudget_continuesInANewInvocation_insteadOfFailing() {
        ExportJob job = seededJob("throttled-long-1", 100);
        proxy.stubFor(logsCall("GetLogEvents").atPriority(1).willReturn(jsonError(400, "ThrottlingException")));

        assertPausesWhileThrottled_thenCompletes(job, 200);
    }

    @Test
    void throttledAssumeRole_pastTheBudget_alsoContinuesInsteadOfFailing() {
        ExportJob job = seededJob("throttled-sts-1", 50);
        proxy.stubFor(post(urlMatching("/.*")).withRequestBody(containing("Action=AssumeRole")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml").withBody(
                        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                                + "<Message>Rate exceeded</Message></Error></ErrorResponse>")));

        assertPausesWhileThrottled_thenCompletes(job, 100);
    }

    // Transient errors of the platform's own services (DynamoDB, SQS) past the SDK's retries: the message goes back
    // to SQS (a batch item failure) instead of the export ending FAILED; the redelivery carries on.

    private static final String DYNAMO = "DynamoDB_20120810.";

    private static MappingBuilder dynamoCall(String operation) {
        return post(urlMatching("/.*")).withHeader("X-Amz-Target", equalTo(DYNAMO + operation));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder dynamoServerError() {
        return aResponse().withStatus(500).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                        + "\"message\":\"injected by the test proxy\"}");
    }

    /** The handler through the proxy, its clock {@code ahead} of now (a redelivery after the visibility timeout). */
    private static ExportWorkerHandler handlerThroughProxy(WorkerConfig config, Duration ahead,
                                                           WorkerFixture.LogSink log) {
        return new ExportWorkerHandler(WorkerSetup.of(proxyClients, config)
                .withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), ahead)).withLog(log.log()));
    }

    private static SQSBatchResponse deliver(ExportWorkerHandler handler, String body, long budgetMillis) {
        return handler.handleRequest(WorkerFixture.event(body), CountdownContext.ofMillis("export-worker",
                budgetMillis));
    }

    /** The delivery was handed back to SQS, and the job is still RUNNING: not FAILED, nothing cleaned up. */
    private static void assertRetried(SQSBatchResponse response, ExportJob job, int openUploads) {
        ExportJob now = fx.job(job.exportId());
        assertThat(now.status()).as("never FAILED for a transient error: %s", now.error())
                .isEqualTo(ExportStatus.RUNNING);
        assertThat(response.getBatchItemFailures()).as("the message goes back to the queue").hasSize(1);
        assertThat(fx.openUploads(job)).as("the upload is kept for the redelivery").isEqualTo(openUploads);
    }

    @Test
    void continuationSendFailing_afterTheCheckpoint_isRetried_andTheRedeliveryResendsIt() {
        ExportJob job = seededJob("sqs-500-1", 3000);
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        // 10 s per clock reading and 10 s of budget past the margin: the first invocation pauses at once.
        ExportWorkerHandler pausing = new ExportWorkerHandler(WorkerSetup.of(proxyClients,
                fx.config().withSafetyMargin(Duration.ofSeconds(1)))
                .withClock(new com.mlplatform.logexport.emulator.lambda.SteppingClock(Duration.ofSeconds(10)))
                .withLog(log.log()));
        proxy.stubFor(post(urlMatching("/.*")).withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessage"))
                .atPriority(1).willReturn(aResponse().withStatus(500).withHeader("Content-Type", JSON)
                        .withBody("{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":\"injected\"}")));
        String start = ExportMessage.start(job.exportId()).toJson();

        SQSBatchResponse first = deliver(pausing, start, 11_000);

        assertRetried(first, job, 1);
        assertThat(fx.drainQueue()).as("the send failed").isEmpty();
        proxy.resetAll();
        passThroughByDefault();
        // SQS delivers the message again: the checkpoint says its continuation was never sent, so it is sent now.
        deliver(fx.handler(fx.config(), log), start, 900_000);
        assertThat(log.count("continuation_resent")).isEqualTo(1);
        fx.runToCompletion(fx.handler(), WorkerFixture.event(), 900_000);
        assertComplete(job, 6000);
    }

    @Test
    void dynamoErrorOnAProgressWrite_isRetried_withoutAbortingTheUpload_andTheExportCompletes() {
        ExportJob job = seededJob("dynamo-500-1", 3000);
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        WorkerConfig config = fx.config().withProgressInterval(Duration.ZERO);
        // Every progress write (events > 0) fails, past the SDK's retries; the claim and the checkpoint go through.
        proxy.stubFor(dynamoCall("PutItem").atPriority(1)
                .withRequestBody(matchingJsonPath("$.Item.progress.M.events.N", matching("[1-9][0-9]*")))
                .willReturn(dynamoServerError()));
        String start = ExportMessage.start(job.exportId()).toJson();

        SQSBatchResponse first = deliver(handlerThroughProxy(config, Duration.ZERO, log), start, 900_000);

        assertRetried(first, job, 1);
        proxy.resetAll();
        passThroughByDefault();
        // Redelivered after the visibility timeout, when the first delivery's lease has run out.
        ExportWorkerHandler later = handlerThroughProxy(config, Duration.ofHours(1), log);
        fx.runToCompletion(later, WorkerFixture.event(start), 900_000);
        assertComplete(job, 6000);
        assertThat(fx.openUploads(job)).isZero();
    }

    @Test
    void registryReadFailing_isRetried_andTheRedeliveryCompletes() {
        ExportJob job = seededJob("registry-500-1", 100);
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        proxy.stubFor(dynamoCall("GetItem").atPriority(1)
                .withRequestBody(containing(fx.platform.resources().usecasesTable()))
                .willReturn(dynamoServerError()));
        String start = ExportMessage.start(job.exportId()).toJson();

        SQSBatchResponse first = deliver(handlerThroughProxy(fx.config(), Duration.ZERO, log), start, 900_000);

        assertRetried(first, job, 0);
        proxy.resetAll();
        passThroughByDefault();
        fx.runToCompletion(handlerThroughProxy(fx.config(), Duration.ofHours(1), log), WorkerFixture.event(start),
                900_000);
        assertComplete(job, 200);
    }
}
