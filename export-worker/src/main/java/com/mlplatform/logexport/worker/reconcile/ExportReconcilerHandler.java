package com.mlplatform.logexport.worker.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.events.CompletionEvents;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.shared.metrics.MetricsLog;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.priming.Priming;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.crac.Resource;
import software.amazon.awssdk.regions.Region;

/**
 * The reconciler Lambda, run by an EventBridge schedule: one {@link Reconciler#runOnce} per event, at the time of
 * its own clock (the event's time says when it was due, not when it runs). Returns the run's counts by action.
 * Clients are built once per container.
 */
public final class ExportReconcilerHandler implements RequestHandler<ScheduledEvent, Map<String, Integer>>, Resource {

    /** Re-drive marks outlive the oldest export that can still be active by this much. */
    private static final Duration MARK_MARGIN = Duration.ofDays(1);

    private final Reconciler reconciler;
    private final ReconcilerConfig config;
    private final Region region;
    private final Clock clock;

    /**
     * For the Lambda runtime: configuration and AWS settings from the environment, read once, and
     * {@link #beforeCheckpoint} registered for SnapStart.
     */
    public ExportReconcilerHandler() {
        this(System.getenv());
        Priming.register(this);
    }

    private ExportReconcilerHandler(Map<String, String> env) {
        this(new AwsClients(AwsSettings.fromEnv(env)), ReconcilerConfig.fromEnv(env), Clock.systemUTC(),
                new StructuredLog("export-reconciler"), EventBridgeCompletionEvents.busFromEnv(env));
    }

    private ExportReconcilerHandler(AwsClients clients, ReconcilerConfig config, Clock clock, StructuredLog log,
                                    String bus) {
        this(clients, config, clock, log, new EventBridgeCompletionEvents(clients.events(), bus), MetricsLog.stdout());
    }

    /** With the caller's clients, clock and log, completion events on the default bus: the local stack. */
    public ExportReconcilerHandler(AwsClients clients, ReconcilerConfig config, Clock clock, StructuredLog log) {
        this(clients, config, clock, log, EventBridgeCompletionEvents.DEFAULT_BUS);
    }

    /** With the caller's clients, clock, log, events and metrics: the emulator tests. */
    public ExportReconcilerHandler(AwsClients clients, ReconcilerConfig config, Clock clock, StructuredLog log,
                                   CompletionEvents events, MetricsLog metrics) {
        this.clock = clock;
        this.config = config;
        this.region = clients.settings().region();
        this.reconciler = wire(clients, config, clock, log, new Completions(events, new ExportMetrics(metrics), log));
    }

    private static Reconciler wire(AwsClients clients, ReconcilerConfig config, Clock clock, StructuredLog log,
                                   Completions completions) {
        var dynamo = clients.dynamo();
        return new Reconciler(
                new DynamoActiveExports(dynamo, config.exportsTable()),
                new DynamoExportRecords(new ExportJobRepository(dynamo, config.exportsTable())),
                new DynamoRedriveMarks(dynamo, config.exportsTable(), clock, config.maxExportAge().plus(MARK_MARGIN)),
                new SqsExportQueue(clients.sqs(), config.queueUrl()),
                new S3ExportLeftovers(clients.s3(), config.bucket()),
                config, log, completions);
    }

    /**
     * SnapStart priming: one sweep (the active-index query of every shard, the decisions, the report) on
     * {@link AwsClients#offline} clients, which find no active export. No AWS resource is read or written, nothing
     * is logged.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try (AwsClients offline = AwsClients.offline(region)) {
            wire(offline, config, clock, Priming.log("export-reconciler-priming"),
                    Priming.completions("export-reconciler-priming")).runOnce(clock.instant()).sorted();
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to renew: the priming clients are closed; the real ones reopen connections as the SDK needs.
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        return reconciler.runOnce(clock.instant()).sorted();
    }
}
