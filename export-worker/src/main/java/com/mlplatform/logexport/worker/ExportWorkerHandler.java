package com.mlplatform.logexport.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.events.RecordingCompletionEvents;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.shared.priming.Priming;
import com.mlplatform.logexport.worker.time.Budget;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.crac.Resource;

/**
 * The export worker Lambda: triggered by the export queue, returns the messages to retry in
 * {@link SQSBatchResponse} (the event source mapping needs {@code ReportBatchItemFailures}), so one bad message
 * never fails the rest of its batch.
 *
 * <p>Clients are built once per container. Each invocation's time budget comes from
 * {@link Context#getRemainingTimeInMillis()}: an export that cannot finish in it checkpoints and continues in a
 * fresh invocation, so there is no 15-minute ceiling on export size.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">Lambda and SQS: reporting batch item failures</a>
 */
public final class ExportWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    /** Priming runs one message; its budget only has to exceed the safety margin. */
    private static final long PRIMING_BUDGET_MILLIS = 120_000;

    private final ExportWorker worker;
    private final WorkerSetup setup;
    private final WorkerConfig config;
    private final Clock clock;
    private final StructuredLog log;

    /**
     * For the Lambda runtime: configuration and AWS settings from the environment, read once, and
     * {@link #beforeCheckpoint} registered for SnapStart.
     */
    public ExportWorkerHandler() {
        this(WorkerSetup.fromEnv(System.getenv()));
        Priming.register(this);
    }

    /** For tests and the local stack: clients, configuration, clock and log of the caller's choosing. */
    public ExportWorkerHandler(WorkerSetup setup) {
        this.setup = setup;
        this.config = setup.config();
        this.clock = setup.clock();
        this.log = setup.log();
        this.worker = new ExportWorker(Platform.connect(setup), setup);
    }

    /**
     * SnapStart priming: one export message through the whole worker (message parsing, the job ledger's DynamoDB
     * read, the decision on an export it does not know) on {@link AwsClients#offline} clients. No AWS resource is
     * read or written, nothing is logged, no metric or event is emitted.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try (AwsClients offline = AwsClients.offline(setup.clients().settings().region())) {
            var primed = new WorkerSetup(offline, config, clock, Priming.log("export-worker-priming"),
                    new RecordingCompletionEvents(), Priming.metrics());
            new ExportWorker(Platform.connect(primed), primed).handle("priming",
                    ExportMessage.start(ExportIds.newExportId()).toJson(),
                    Budget.of(clock, PRIMING_BUDGET_MILLIS, config.safetyMargin()), "priming", false);
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to renew: the priming clients are closed; the real ones reopen connections as the SDK needs.
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Budget budget = Budget.of(clock, context.getRemainingTimeInMillis(), config.safetyMargin());
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        boolean first = true;
        for (SQSEvent.SQSMessage m : records) {
            ExportWorker.Outcome outcome;
            boolean mayDefer = !first;
            first = false;
            try {
                outcome = worker.handle(m.getMessageId(), m.getBody(), budget, context.getAwsRequestId(), mayDefer);
            } catch (RuntimeException e) {
                // Could not even record what went wrong (e.g. DynamoDB unreachable): let SQS deliver it again.
                log.error("message_not_processed", "messageId", m.getMessageId(), "cause",
                        e.getClass().getSimpleName());
                outcome = ExportWorker.Outcome.RETRY;
            }
            if (outcome == ExportWorker.Outcome.RETRY) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(m.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
