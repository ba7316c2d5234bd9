package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the worker is built from: the platform account's clients, the configuration, a clock and a log. On Lambda
 * all of it comes from the environment ({@link #fromEnv}); tests and the local stack build their own.
 */
public record WorkerSetup(AwsClients clients, WorkerConfig config, Clock clock, StructuredLog log) {

    public WorkerSetup {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(log, "log");
    }

    /** Configuration and AWS settings read once from {@code env}; the system clock; logs to stdout. */
    public static WorkerSetup fromEnv(Map<String, String> env) {
        return of(new AwsClients(AwsSettings.fromEnv(env)), WorkerConfig.fromEnv(env));
    }

    /** The system clock and a log to stdout. */
    public static WorkerSetup of(AwsClients clients, WorkerConfig config) {
        return new WorkerSetup(clients, config, Clock.systemUTC(), new StructuredLog("export-worker"));
    }

    public WorkerSetup withClock(Clock other) {
        return new WorkerSetup(clients, config, other, log);
    }

    /** With a log of the caller's choosing, e.g. one that tests read back. */
    public WorkerSetup withLog(StructuredLog other) {
        return new WorkerSetup(clients, config, clock, other);
    }
}
