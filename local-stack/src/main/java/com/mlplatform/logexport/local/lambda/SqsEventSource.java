package com.mlplatform.logexport.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping, locally: long-polls the queue, hands each batch to the worker handler as a
 * real {@link SQSEvent}, and then deletes or keeps messages by the handler's {@link SQSBatchResponse}
 * ({@link BatchOutcome}). Messages it keeps become visible again after the queue's visibility timeout and are
 * redelivered; after {@code maxReceiveCount} deliveries the queue's redrive policy moves them to the dead-letter
 * queue (the emulator does that, as SQS does). Continuations are ordinary messages the handler sends to the queue.
 *
 * <p>Each of the {@code concurrency} pollers owns one handler instance, as each Lambda execution environment
 * owns one, so a handler never sees two invocations at once.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">Handling errors for an SQS event source in Lambda</a>
 * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html">SQS dead-letter queues</a>
 */
public final class SqsEventSource implements AutoCloseable {

    /**
     * @param batchSize       messages per invocation (Lambda's BatchSize; at most 10 for a standard queue poll)
     * @param waitTime        long-poll wait per ReceiveMessage (at most 20 s)
     * @param functionTimeout the handler's Lambda timeout, counted down by {@link CountdownContext}
     * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html">ReceiveMessage (MaxNumberOfMessages, WaitTimeSeconds)</a>
     */
    public record Settings(String functionName, String queueUrl, String queueArn, String region, int batchSize,
                           Duration waitTime, Duration functionTimeout, int concurrency) {
        public Settings {
            if (batchSize < 1 || batchSize > 10) {
                throw new IllegalArgumentException("batchSize must be 1-10");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
        }
    }

    /** Counters for the console and for tests. */
    public record Stats(long invocations, long deleted, long retried) {
    }

    private final SqsClient sqs;
    private final Settings settings;
    private final Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> containerFactory;
    private final PrintStream console;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private volatile boolean running;

    public SqsEventSource(SqsClient sqs, Settings settings,
                          Supplier<? extends RequestHandler<SQSEvent, SQSBatchResponse>> containerFactory,
                          PrintStream console, Clock clock) {
        this.sqs = sqs;
        this.settings = settings;
        this.containerFactory = containerFactory;
        this.console = console;
        this.clock = clock;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 1; i <= settings.concurrency(); i++) {
            // Each environment builds its handler once, as a Lambda cold start does.
            RequestHandler<SQSEvent, SQSBatchResponse> handler = containerFactory.get();
            Thread t = new Thread(() -> pollLoop(handler), settings.functionName() + "-env-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** The console's tag: "worker" for the export worker (as the docs show it), else the function's name. */
    private String label() {
        return settings.functionName().replace("export-", "");
    }

    public Stats stats() {
        return new Stats(invocations.get(), deleted.get(), retried.get());
    }

    private void pollLoop(RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(settings.queueUrl())
                        .maxNumberOfMessages(settings.batchSize())
                        .waitTimeSeconds((int) settings.waitTime().toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
                if (!messages.isEmpty() && running) {
                    invoke(handler, messages);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return; // the emulator is going away with us
                }
                console.println("[" + label() + "] polling " + settings.queueUrl() + " failed: " + e.getMessage()
                        + "; retrying in 1 s");
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    void invoke(RequestHandler<SQSEvent, SQSBatchResponse> handler, List<Message> messages) {
        SQSEvent event = toEvent(messages, settings.queueArn(), settings.region());
        List<String> ids = messages.stream().map(Message::messageId).toList();
        var context = new CountdownContext(settings.functionName(), settings.functionTimeout(), clock);
        Instant started = clock.instant();
        invocations.incrementAndGet();
        BatchOutcome outcome;
        try {
            SQSBatchResponse response = handler.handleRequest(event, context);
            outcome = BatchOutcome.of(ids, response);
        } catch (RuntimeException | Error e) {
            console.println("[" + label() + "] invocation " + context.getAwsRequestId() + " threw "
                    + e.getClass().getSimpleName() + ": the whole batch of " + ids.size() + " will be redelivered");
            outcome = BatchOutcome.wholeBatchFailed(ids);
        }
        Duration took = Duration.between(started, clock.instant());
        if (took.compareTo(settings.functionTimeout()) > 0) {
            // Lambda would have stopped the invocation at its timeout and counted the batch as failed.
            console.println("[" + label() + "] invocation ran " + took.toMillis() + " ms, over the " + settings.functionTimeout()
                    .toMillis() + " ms timeout: treated as timed out, the batch will be redelivered");
            outcome = BatchOutcome.wholeBatchFailed(ids);
        }
        delete(messages, outcome);
        deleted.addAndGet(outcome.delete().size());
        retried.addAndGet(outcome.retry().size());
        console.println("[" + label() + "] batch of " + ids.size() + " done in " + took.toMillis() + " ms: "
                + outcome.delete().size() + " deleted" + (outcome.retry().isEmpty() ? ""
                : ", " + outcome.retry().size() + " left for redelivery after the visibility timeout"));
    }

    private void delete(List<Message> messages, BatchOutcome outcome) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (Message m : messages) {
            if (outcome.delete().contains(m.messageId())) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!entries.isEmpty()) {
            var result = sqs.deleteMessageBatch(r -> r.queueUrl(settings.queueUrl()).entries(entries));
            if (result.hasFailed() && !result.failed().isEmpty()) {
                console.println("[" + label() + "] could not delete " + result.failed().size() + " message(s); SQS will"
                        + " redeliver them");
            }
        }
    }

    /**
     * The event Lambda builds for a batch of messages received from the queue {@code queueArn}.
     *
     * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html">Using Lambda with Amazon SQS</a>
     */
    public static SQSEvent toEvent(List<Message> messages, String queueArn, String region) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
            r.setAttributes(new HashMap<>(m.attributesAsStrings()));
            Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
            m.messageAttributes().forEach((name, v) -> attributes.put(name, attribute(v)));
            r.setMessageAttributes(attributes);
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion(region);
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue v) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(v.dataType());
        a.setStringValue(v.stringValue());
        if (v.binaryValue() != null) {
            a.setBinaryValue(v.binaryValue().asByteBuffer());
        }
        return a;
    }

    /** Stops taking new batches at once, without waiting; {@link #stop} then waits for the ones in flight. */
    public void stopPolling() {
        running = false;
    }

    /** Stops polling; waits for invocations in flight to finish (up to {@code grace}). */
    public void stop(Duration grace) {
        running = false;
        Instant until = clock.instant().plus(grace);
        for (Thread t : threads) {
            long left = Duration.between(clock.instant(), until).toMillis();
            if (left > 0) {
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
