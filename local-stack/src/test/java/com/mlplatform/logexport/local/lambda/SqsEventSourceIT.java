package com.mlplatform.logexport.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.TemplateProvisioner;
import com.mlplatform.logexport.local.TestTime;
import com.mlplatform.logexport.shared.aws.AwsClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local SQS event source against the emulator's real queue (provisioned from infra/template.yaml, with its
 * redrive policy): the event Lambda would build, deletes by SQSBatchResponse, redelivery after the visibility
 * timeout, the whole batch on a throw or a timeout, and the dead-letter queue after maxReceiveCount. The handlers
 * here are test doubles on purpose: this tests the event source, EndToEndIT tests the real worker.
 */
class SqsEventSourceIT {

    /**
     * Short, so redelivery tests are quick, but scaled by the time factor ({@link TestTime#scaledSeconds}): a handler
     * that is merely slow on a loaded machine must not see its message come back while it still holds it.
     */
    private static final Duration VISIBILITY = TestTime.scaledSeconds(Duration.ofSeconds(2));

    private EmulatedPlatform platform;
    private AwsClients clients;
    private SqsClient sqs;
    private String queueUrl;
    private SqsEventSource source;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final List<SQSEvent.SQSMessage> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> firstSeenAt = new ConcurrentHashMap<>();
    private final Map<String, Instant> againSeenAt = new ConcurrentHashMap<>();

    @BeforeEach
    void provision() {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        sqs = clients.sqs();
        queueUrl = platform.resources().queueUrl();
        sqs.setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                Long.toString(VISIBILITY.toSeconds()))));
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop(Duration.ofSeconds(5));
        }
        clients.close();
    }

    private void start(RequestHandler<SQSEvent, SQSBatchResponse> handler, Duration timeout) {
        var settings = new SqsEventSource.Settings("test-worker", queueUrl,
                platform.provisioned().queueArns().get(TemplateProvisioner.EXPORT_QUEUE), "us-east-1", 10,
                Duration.ofSeconds(1), timeout, 1);
        source = new SqsEventSource(sqs, settings, () -> handler,
                new PrintStream(console, true, StandardCharsets.UTF_8), Clock.systemUTC());
        source.start();
    }

    private void send(String... bodies) {
        for (String b : bodies) {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(b));
        }
    }

    private long messagesIn(String url) {
        var attrs = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static int receiveCount(SQSEvent.SQSMessage m) {
        return Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
    }

    @Test
    void successfulBatch_shouldBeDeleted_andCarryWhatLambdaPuts() {
        start((event, ctx) -> {
            seen.addAll(event.getRecords());
            assertThat(ctx.getRemainingTimeInMillis()).isBetween(1, 30_000);
            return new SQSBatchResponse(List.of());
        }, Duration.ofSeconds(30));

        send("one", "two", "three");

        TestTime.await("three messages handled", Duration.ofSeconds(20)).until(() -> seen.size() >= 3);
        TestTime.await("the queue to be empty", Duration.ofSeconds(10)).until(() -> messagesIn(queueUrl) == 0);
        assertThat(seen).extracting(SQSEvent.SQSMessage::getBody).containsExactlyInAnyOrder("one", "two", "three");
        assertThat(seen).allSatisfy(m -> {
            assertThat(m.getEventSource()).isEqualTo("aws:sqs");
            assertThat(m.getEventSourceArn()).endsWith(":" + platform.resources().queueUrl()
                    .substring(platform.resources().queueUrl().lastIndexOf('/') + 1));
            assertThat(m.getAwsRegion()).isEqualTo("us-east-1");
            assertThat(m.getReceiptHandle()).isNotBlank();
            assertThat(m.getMd5OfBody()).hasSize(32);
            assertThat(m.getAttributes()).containsKeys("ApproximateReceiveCount", "SentTimestamp");
            assertThat(receiveCount(m)).isEqualTo(1);
        });
    }

    @Test
    void reportedFailure_shouldStayOnTheQueue_andComeBackAfterTheVisibilityTimeout() {
        start((event, ctx) -> {
            seen.addAll(event.getRecords());
            Instant now = Instant.now();
            for (var m : event.getRecords()) {
                (receiveCount(m) == 1 ? firstSeenAt : againSeenAt).putIfAbsent(m.getBody(), now);
            }
            var failures = event.getRecords().stream()
                    .filter(m -> m.getBody().equals("flaky") && receiveCount(m) == 1)
                    .map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId())).toList();
            return new SQSBatchResponse(failures);
        }, Duration.ofSeconds(30));

        send("fine", "flaky");

        TestTime.await("the flaky message to come back", Duration.ofSeconds(20).plus(VISIBILITY))
                .until(() -> seen.stream().anyMatch(m -> m.getBody().equals("flaky") && receiveCount(m) == 2));
        TestTime.await("the queue to be empty", Duration.ofSeconds(10)).until(() -> messagesIn(queueUrl) == 0);
        // Not at once: it stayed invisible for the visibility timeout (half of it as the bound, since the handler
        // sees a message a moment after SQS hands it out; a lower bound holds however slow the machine is).
        assertThat(Duration.between(firstSeenAt.get("flaky"), againSeenAt.get("flaky")))
                .as("redelivered after the %d s visibility timeout", VISIBILITY.toSeconds())
                .isGreaterThanOrEqualTo(VISIBILITY.dividedBy(2));
        assertThat(seen.stream().filter(m -> m.getBody().equals("fine")).count())
                .as("the message that succeeded was deleted, not redelivered").isEqualTo(1);
        assertThat(source.stats().retried()).isEqualTo(1);
    }

    @Test
    void handlerThatThrows_shouldHaveTheWholeBatchRedelivered() {
        start((event, ctx) -> {
            seen.addAll(event.getRecords());
            if (event.getRecords().stream().anyMatch(m -> receiveCount(m) == 1)) {
                throw new IllegalStateException("boom");
            }
            return null;
        }, Duration.ofSeconds(30));

        send("a", "b");

        TestTime.await("both messages delivered twice", Duration.ofSeconds(25).plus(VISIBILITY))
                .until(() -> seen.stream().filter(m -> receiveCount(m) == 2).count() == 2);
        TestTime.await("the queue to be empty", Duration.ofSeconds(10)).until(() -> messagesIn(queueUrl) == 0);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("threw IllegalStateException");
    }

    @Test
    void invocationOverItsTimeout_shouldCountAsFailed() {
        start((event, ctx) -> {
            seen.addAll(event.getRecords());
            if (receiveCount(event.getRecords().get(0)) == 1) {
                sleep(ctx.getRemainingTimeInMillis() + 200L);
                assertThat(ctx.getRemainingTimeInMillis()).isZero();
            }
            return new SQSBatchResponse(List.of());
        }, Duration.ofSeconds(1));

        send("slow");

        TestTime.await("the message to be delivered again", Duration.ofSeconds(20).plus(VISIBILITY))
                .until(() -> seen.stream().anyMatch(m -> receiveCount(m) == 2));
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("treated as timed out");
    }

    @Test
    void messageThatAlwaysFails_shouldEndInTheDeadLetterQueue_afterMaxReceiveCount() {
        int maxReceiveCount = Integer.parseInt(String.valueOf(com.mlplatform.logexport.emulator.CloudFormationTemplate
                .platform().parameterDefault("MaxReceiveCount")));
        start((event, ctx) -> {
            seen.addAll(event.getRecords());
            return new SQSBatchResponse(event.getRecords().stream()
                    .map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId())).toList());
        }, Duration.ofSeconds(30));

        send("poison");

        String dlq = platform.provisioned().dlqUrl();
        TestTime.await("the message in the dead-letter queue",
                        Duration.ofSeconds(60).plus(VISIBILITY.multipliedBy(maxReceiveCount)))
                .until(() -> messagesIn(dlq) == 1);
        assertThat(seen).as("delivered maxReceiveCount times, then moved").hasSize(maxReceiveCount);
        assertThat(messagesIn(queueUrl)).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
