package com.mlplatform.logexport.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.mlplatform.logexport.api.fanout.FanoutSweepHandler;
import com.mlplatform.logexport.api.fanout.SweepConfig;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.worker.reconcile.ExportReconcilerHandler;
import com.mlplatform.logexport.worker.reconcile.ReconcilerConfig;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The reconciler's EventBridge schedule, locally: the real handler, called every {@code period} on one daemon
 * thread (runs never overlap, as on AWS where its timeout is below the period). Tells the console when a run did
 * something (re-drove, failed, removed leftovers) or failed itself; quiet otherwise.
 */
public final class ReconcilerSchedule implements AutoCloseable {

    /** Locally a run every 30 s, instead of every 5 minutes. */
    public static final Duration LOCAL_PERIOD = Duration.ofSeconds(30);
    /**
     * Shorter bounds than in the cloud, so a lost message is re-driven within a minute or two of a dev session; a
     * live worker is never disturbed however short they are, since the reconciler checks its lease. Variables set
     * in the environment win.
     */
    static final Map<String, String> LOCAL_BOUNDS = Map.of(
            ReconcilerConfig.ENV_QUEUED_GRACE_SECONDS, "60",
            ReconcilerConfig.ENV_STALE_AFTER_SECONDS, "300");
    private static final long RUN_BUDGET_MILLIS = 240_000;

    private final String label;
    private final RequestHandler<ScheduledEvent, Map<String, Integer>> handler;
    private final PrintStream console;
    private final ScheduledExecutorService executor;

    ReconcilerSchedule(RequestHandler<ScheduledEvent, Map<String, Integer>> handler, Duration period,
                       PrintStream console) {
        this("reconciler", handler, period, console);
    }

    /** @param label the console's tag for this schedule's runs */
    private ReconcilerSchedule(String label, RequestHandler<ScheduledEvent, Map<String, Integer>> handler,
                               Duration period, PrintStream console) {
        this.label = label;
        this.handler = handler;
        this.console = console;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, label + "-schedule");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::runOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts calling the reconciler every {@code period}, built as its no-arg constructor builds it on Lambda from
     * {@code env} (plus {@link #LOCAL_BOUNDS}), on the caller's {@code clients}, which it does not close.
     */
    public static ReconcilerSchedule start(AwsClients clients, Map<String, String> env, Duration period,
                                           PrintStream console) {
        Map<String, String> local = new HashMap<>(LOCAL_BOUNDS);
        local.putAll(env);
        var handler = new ExportReconcilerHandler(clients, ReconcilerConfig.fromEnv(local), Clock.systemUTC(),
                new StructuredLog("export-reconciler"));
        return new ReconcilerSchedule(handler, period, console);
    }

    /**
     * The fan-out sweep's schedule, locally: the real {@link FanoutSweepHandler} every {@code period}, which
     * re-drives a batch whose fan-out went silent (docs/reliability.md). Same rules as the reconciler's schedule.
     */
    public static ReconcilerSchedule startFanoutSweep(AwsClients clients, Map<String, String> env, Duration period,
                                                      PrintStream console) {
        var handler = new FanoutSweepHandler(clients, SweepConfig.fromEnv(env), Clock.systemUTC());
        return new ReconcilerSchedule("fanout-sweep", handler, period, console);
    }

    private void runOnce() {
        try {
            Map<String, Integer> counts = handler.handleRequest(new ScheduledEvent(),
                    CountdownContext.ofMillis(label, RUN_BUDGET_MILLIS));
            StringJoiner done = new StringJoiner(", ");
            counts.forEach((action, n) -> {
                if (!action.equals("active") && !action.startsWith("left_") && n > 0) {
                    done.add(action + " " + n);
                }
            });
            if (done.length() > 0) {
                console.println("[" + label + "] " + done);
            }
        } catch (RuntimeException e) {
            // Never let one failed run end the schedule: the next run carries on, as on AWS.
            console.println("[" + label + "] run failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Stops the schedule, waits for a run in progress (a few seconds at most), then closes the clients. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
