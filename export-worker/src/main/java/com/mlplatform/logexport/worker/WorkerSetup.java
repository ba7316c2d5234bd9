package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.events.CompletionEvents;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.shared.metrics.MetricsLog;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the worker is built from: the platform account's clients, the configuration, a clock, a log, where completion
 * events go and where metrics go. On Lambda all of it comes from the environment ({@link #fromEnv}); tests and the
 * local stack build their own.
 */
public record WorkerSetup(AwsClients clients, WorkerConfig config, Clock clock, StructuredLog log,
                          CompletionEvents events, MetricsLog metrics) {

    public WorkerSetup {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** Configuration and AWS settings read once from {@code env}; the system clock; logs to stdout. */
    public static WorkerSetup fromEnv(Map<String, String> env) {
        AwsClients clients = new AwsClients(AwsSettings.fromEnv(env));
        return of(clients, WorkerConfig.fromEnv(env)).withEvents(
                new EventBridgeCompletionEvents(clients.events(), EventBridgeCompletionEvents.busFromEnv(env)));
    }

    /** The system clock, a log and metrics to stdout, completion events on the default bus. */
    public static WorkerSetup of(AwsClients clients, WorkerConfig config) {
        return new WorkerSetup(clients, config, Clock.systemUTC(), new StructuredLog("export-worker"),
                new EventBridgeCompletionEvents(clients.events(), EventBridgeCompletionEvents.DEFAULT_BUS),
                MetricsLog.stdout());
    }

    public WorkerSetup withClock(Clock other) {
        return new WorkerSetup(clients, config, other, log, events, metrics);
    }

    /** With a log of the caller's choosing, e.g. one that tests read back. */
    public WorkerSetup withLog(StructuredLog other) {
        return new WorkerSetup(clients, config, clock, other, events, metrics);
    }

    /** With completion events going elsewhere, e.g. a recording for tests. */
    public WorkerSetup withEvents(CompletionEvents other) {
        return new WorkerSetup(clients, config, clock, log, other, metrics);
    }

    /** With metrics written elsewhere, e.g. a stream tests read back. */
    public WorkerSetup withMetrics(MetricsLog other) {
        return new WorkerSetup(clients, config, clock, log, events, other);
    }

    /** Metrics and completion events of finished exports, as this setup directs them. */
    public Completions completions() {
        return new Completions(events, new ExportMetrics(metrics), log);
    }
}
