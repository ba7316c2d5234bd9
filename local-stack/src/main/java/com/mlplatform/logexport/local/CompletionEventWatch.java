package com.mlplatform.logexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.events.ExportFinished;
import com.mlplatform.logexport.shared.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Receives the completion events locally the way a consumer would in AWS: an EventBridge rule on the bus matches
 * {@code source} and {@code detail-type} and targets an SQS queue, which this reads and prints on the console.
 *
 * @see <a href="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rules.html">EventBridge rules</a>
 */
final class CompletionEventWatch implements AutoCloseable {

    static final String NAME = "log-export-completion-events";

    private final SqsClient sqs;
    private final String queueUrl;
    private final PrintStream console;
    private final Thread thread;
    private volatile boolean running = true;

    private CompletionEventWatch(SqsClient sqs, String queueUrl, PrintStream console) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.console = console;
        this.thread = new Thread(this::watch, "completion-event-watch");
        thread.setDaemon(true);
    }

    /** Creates the queue and the rule (idempotent) on {@code bus}; {@link #start} prints what arrives. */
    static CompletionEventWatch create(AwsClients clients, String bus, PrintStream console) {
        SqsClient sqs = clients.sqs();
        EventBridgeClient events = clients.events();
        String url = sqs.createQueue(r -> r.queueName(NAME)).queueUrl();
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String pattern = Json.write(Map.of("source", List.of(ExportFinished.SOURCE),
                "detail-type", List.of(ExportFinished.DETAIL_TYPE)));
        events.putRule(r -> r.name(NAME).eventBusName(bus).eventPattern(pattern));
        events.putTargets(r -> r.rule(NAME).eventBusName(bus).targets(t -> t.id("local-console").arn(arn)));
        return new CompletionEventWatch(sqs, url, console);
    }

    void start() {
        thread.start();
    }

    /** The events that arrived within a short wait, removed from the queue: whole EventBridge events. */
    List<JsonNode> receive(int waitSeconds) {
        List<JsonNode> out = new ArrayList<>();
        for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds)).messages()) {
            out.add(parse(m.body()));
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
        return out;
    }

    private void watch() {
        while (running) {
            try {
                for (JsonNode event : receive(5)) {
                    console.println("[events] " + event.path("detail-type").asText() + ": " + event.path("detail"));
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
