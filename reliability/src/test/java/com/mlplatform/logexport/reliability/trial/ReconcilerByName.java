package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.reliability.child.ChildEnv;
import com.mlplatform.logexport.reliability.child.ChildLine;
import com.mlplatform.logexport.reliability.child.FanoutProcess;
import com.mlplatform.logexport.reliability.child.ReconcilerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reconcile step as the deployment runs it: the reconciler Lambda's handler, found by class name, in a child
 * JVM of its own ({@link ReconcilerProcess}) configured by the lane's environment plus the reconciler's bounds. The
 * bounds are short, so a trial sees the re-drive within seconds rather than the deployment's minutes. The batch
 * fan-out and its sweep ({@link FanoutProcess}) run beside it for as long: they are what creates and re-drives a
 * batch's exports after the API answered.
 */
public final class ReconcilerByName implements Reconcile {

    public static final String HANDLER = "com.mlplatform.logexport.worker.reconcile.ExportReconcilerHandler";

    /** The reconciler's settings in the trials: a QUEUED job without progress for 5 s, a RUNNING one for 10 s. */
    public static final Map<String, String> BOUNDS = Map.of(
            "RECONCILER_QUEUED_GRACE_SECONDS", "5",
            "RECONCILER_STALE_AFTER_SECONDS", "10",
            "RECONCILER_MAX_REDRIVES", "20",
            "RECONCILER_MAX_EXPORT_AGE_SECONDS", "900");

    private final String className;
    private final Duration every;

    public ReconcilerByName(String className, Duration every) {
        this.className = className;
        this.every = every;
    }

    @Override
    public Running start(Lane lane) {
        Map<String, String> env = new HashMap<>(lane.handlerEnv());
        env.putAll(BOUNDS);
        env.put(ChildEnv.RECONCILER_CLASS, className);
        env.put(ChildEnv.RECONCILE_EVERY_MILLIS, Long.toString(every.toMillis()));
        ChildJvm child = ChildJvm.start(lane.name() + "-reconciler", ReconcilerProcess.class, env, lane.logDir());
        ChildJvm fanout = ChildJvm.start(lane.name() + "-fanout", FanoutProcess.class, env, lane.logDir());
        return new Watched(child, fanout);
    }

    private final class Watched implements Running {
        private final ChildJvm child;
        private final ChildJvm fanout;
        private final AtomicInteger runs = new AtomicInteger();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private volatile String unavailable;
        private volatile boolean closed;
        private final Thread watcher;

        Watched(ChildJvm child, ChildJvm fanout) {
            this.child = child;
            this.fanout = fanout;
            this.watcher = new Thread(this::watch, child.name() + "-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        private void watch() {
            while (!closed) {
                Optional<ChildLine> line = child.next(Duration.ofMillis(500));
                if (line.isPresent()) {
                    switch (line.get().kind()) {
                        case ChildLine.RECONCILED -> runs.incrementAndGet();
                        case ChildLine.RECONCILE_ERROR -> errors.add(line.get().text());
                        case ChildLine.RECONCILER_MISSING -> unavailable = "the reconciler handler " + className
                                + " is not on the class path, so the reconcile step could not run";
                        default -> { }
                    }
                } else if (!child.isAlive() && unavailable == null && !closed) {
                    unavailable = "the reconciler child exited with status " + child.exitStatus().orElse(-1)
                            + " (log " + child.log() + "):\n" + child.tail();
                    return;
                }
            }
        }

        @Override
        public Optional<String> unavailable() {
            return Optional.ofNullable(unavailable);
        }

        @Override
        public int runs() {
            return runs.get();
        }

        @Override
        public List<String> errors() {
            return List.copyOf(errors);
        }

        @Override
        public void close() {
            closed = true;
            child.close();
            fanout.close();
        }
    }
}
