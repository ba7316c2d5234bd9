package com.mlplatform.logexport.api.fanout;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.mlplatform.logexport.api.exportstable.DynamoBatchRecords;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import java.time.Clock;
import java.util.Map;

/**
 * The fan-out sweep Lambda, run by an EventBridge schedule: one {@link FanoutSweep#runOnce} per event. Returns how
 * many batches it re-drove and gave up. Clients are built once per container.
 */
public final class FanoutSweepHandler implements RequestHandler<ScheduledEvent, Map<String, Integer>> {

    private final FanoutSweep sweep;

    /** For the Lambda runtime: configuration and clients from the environment. */
    public FanoutSweepHandler() {
        this(new AwsClients(AwsSettings.fromEnv(System.getenv())), SweepConfig.fromEnv(System.getenv()),
                Clock.systemUTC());
    }

    /** For tests and the local stack. */
    public FanoutSweepHandler(AwsClients clients, SweepConfig config, Clock clock) {
        this.sweep = new FanoutSweep(new DynamoBatchRecords(clients.dynamo(), config.exportsTable()),
                new SqsFanoutQueue(clients.sqs(), config.fanoutQueueUrl()), clock);
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        FanoutSweep.Report report = sweep.runOnce();
        return Map.of("redriven", report.redriven(), "failed", report.failed());
    }
}
