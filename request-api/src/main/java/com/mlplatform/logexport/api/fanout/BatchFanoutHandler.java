package com.mlplatform.logexport.api.fanout;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mlplatform.logexport.api.accept.MessageBatchSender;
import com.mlplatform.logexport.api.accept.SqsQueueSends;
import com.mlplatform.logexport.api.exportstable.DynamoBatchRecords;
import com.mlplatform.logexport.api.exportstable.DynamoExportIndexes;
import com.mlplatform.logexport.api.exportstable.DynamoFanoutJobs;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.retry.Backoff;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import com.mlplatform.logexport.shared.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fan-out Lambda, triggered by the fan-out queue: one {@link BatchFanout#run} per message. A message whose run
 * failed or left messages unsent is returned in {@link SQSBatchResponse} (the event source mapping needs
 * {@code ReportBatchItemFailures}), so SQS delivers it again and the rest of the batch is not repeated. A body that
 * is not a fan-out message can never succeed and is acknowledged (logged), not retried.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">Lambda and SQS: reporting batch item failures</a>
 */
public final class BatchFanoutHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Threads for the parallel conditional puts and sends; they block on I/O. Daemon: never hold a container. */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(32, r -> {
        Thread t = new Thread(r, "batch-fanout-io");
        t.setDaemon(true);
        return t;
    });
    private static final Backoff SEND_BACKOFF = new Backoff(Duration.ofMillis(25), Duration.ofMillis(800), 8);
    private static final StructuredLog LOG = new StructuredLog("batch-fanout");

    private final BatchFanout fanout;

    /** For the Lambda runtime: configuration and clients from the environment, built once per container. */
    public BatchFanoutHandler() {
        this(new AwsClients(AwsSettings.fromEnv(System.getenv())), FanoutConfig.fromEnv(System.getenv()));
    }

    /** For tests and the local stack: the platform account's clients (an emulator's, say). */
    public BatchFanoutHandler(AwsClients clients, FanoutConfig config) {
        this(wire(clients, config));
    }

    /** Around a fan-out of the caller's making (tests that crash it between steps). */
    public BatchFanoutHandler(BatchFanout fanout) {
        this.fanout = fanout;
    }

    static BatchFanout wire(AwsClients clients, FanoutConfig config) {
        var dynamo = clients.dynamo();
        var sender = new MessageBatchSender(new SqsQueueSends(clients.sqs(), config.exportQueueUrl()), POOL,
                new RetryLoop(SEND_BACKOFF, Sleeper.THREAD));
        return new BatchFanout(new DynamoBatchRecords(dynamo, config.exportsTable()),
                new DynamoFanoutJobs(new ExportJobRepository(dynamo, config.exportsTable()),
                        new DynamoExportIndexes(dynamo, config.exportsTable())),
                sender, POOL, Clock.systemUTC());
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords() == null ? List.<SQSEvent.SQSMessage>of() : event.getRecords()) {
            if (!handle(m)) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** False when the message must be delivered again. */
    private boolean handle(SQSEvent.SQSMessage m) {
        FanoutMessage message;
        try {
            message = FanoutMessage.parse(m.getBody());
        } catch (IllegalArgumentException e) {
            LOG.error("fanout_message_malformed", "messageId", m.getMessageId());
            return true;
        }
        try {
            return fanout.run(message.batchId()).complete();
        } catch (RuntimeException e) {
            LOG.error("fanout_failed_run", "batchId", message.batchId(), "cause", e.getClass().getSimpleName());
            return false;
        }
    }
}
