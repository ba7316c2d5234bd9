package com.mlplatform.logexport.reliability.crash;

import com.mlplatform.logexport.reliability.child.ChildLine;
import com.mlplatform.logexport.reliability.child.CrashPoint;
import com.mlplatform.logexport.reliability.trial.ChildJvm;
import com.mlplatform.logexport.reliability.trial.ExportCheck;
import com.mlplatform.logexport.reliability.trial.ExportRequests;
import com.mlplatform.logexport.reliability.trial.Lane;
import com.mlplatform.logexport.reliability.trial.Reconcile;
import com.mlplatform.logexport.reliability.trial.ReferenceExports;
import com.mlplatform.logexport.reliability.trial.TrialOutcome;
import com.mlplatform.logexport.shared.job.ExportJob;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One worker crash trial: request an export through the API, run worker JVMs on it, SIGKILL each at its armed
 * point and start a fresh one (as Lambda starts a fresh sandbox for the redelivered message), with the reconcile
 * step running on its schedule, until the export ends or is given up as stuck; then check it.
 */
public final class WorkerCrashTrial {

    /** An export of the small training needs a few seconds; this is the most a trial waits without a kill. */
    static final Duration LIMIT_WITHOUT_KILL = Duration.ofSeconds(90);
    /**
     * After a kill: the dead invocation's lease (its hard deadline plus the worker's 30 s grace), then the
     * reconciler's stale bound and period, then the rest of the export.
     */
    static final Duration LIMIT_AFTER_KILL = Duration.ofSeconds(100);

    private WorkerCrashTrial() {
    }

    public static TrialOutcome run(Lane lane, int index, long suiteSeed, ReferenceExports references,
                                   Reconcile.Running reconcile) {
        long started = System.nanoTime();
        WorkerCrashes.Plan plan = WorkerCrashes.plan(index, trialSeed(suiteSeed, index));
        List<String> failures = new ArrayList<>();
        List<String> kills = new ArrayList<>();
        List<String> exports = new ArrayList<>();
        List<String> unreached = new ArrayList<>();
        var answer = lane.call(ExportRequests.single(plan.training(), index), List.of());
        String exportId = answer instanceof Lane.Answered a && a.answer().status() == 202
                ? a.answer().field("exportId") : null;
        if (exportId == null) {
            failures.add("the API did not accept the export: " + answer);
        } else {
            CompletableFuture<byte[]> reference = references.of(lane, exportId);
            Deque<CrashPoint> armed = new ArrayDeque<>(plan.points());
            drive(lane, exportId, armed, kills, failures);
            armed.forEach(p -> unreached.add(p.toString()));
            exports.add(ExportCheck.check(lane, exportId, reference, failures));
        }
        reconcile.unavailable().ifPresent(failures::add);
        return new TrialOutcome("worker crash", index, suiteSeed, plan.what(), plan.points().stream()
                .map(CrashPoint::toString).toList(), kills, unreached, exports, failures,
                Duration.ofNanos(System.nanoTime() - started));
    }

    static long trialSeed(long suiteSeed, int index) {
        return suiteSeed ^ (0x9E3779B97F4A7C15L * (index + 1));
    }

    /** Runs workers until the export ends or the time is up; {@code armed} keeps the points never reached. */
    private static void drive(Lane lane, String exportId, Deque<CrashPoint> armed, List<String> kills,
                              List<String> failures) {
        CrashPoint current = armed.poll();
        ChildJvm worker = lane.startWorker(current == null ? List.of() : List.of(current));
        long deadline = System.nanoTime() + LIMIT_WITHOUT_KILL.toNanos();
        try {
            while (true) {
                Optional<ChildLine> line = worker.next(Duration.ofMillis(300));
                if (line.isPresent() && line.get().kind().equals(ChildLine.CRASH)) {
                    worker.kill();
                    kills.add(line.get().text() + " (job then " + lane.job(exportId).map(ExportCheck::state)
                            .orElse("missing") + ")");
                    current = armed.poll();
                    worker = lane.startWorker(current == null ? List.of() : List.of(current));
                    deadline = System.nanoTime() + LIMIT_AFTER_KILL.toNanos();
                    continue;
                }
                if (!worker.isAlive()) {
                    failures.add("worker " + worker.name() + " exited by itself with status "
                            + worker.exitStatus().orElse(-1) + ":\n" + worker.tail());
                    worker = lane.startWorker(List.of());
                }
                Optional<ExportJob> job = lane.job(exportId);
                if (job.isPresent() && job.get().status().isFinished()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    failures.add("stuck: not finished " + (kills.isEmpty() ? LIMIT_WITHOUT_KILL.toSeconds()
                            + " s after it was accepted" : LIMIT_AFTER_KILL.toSeconds() + " s after the last kill")
                            + " (worker log " + worker.log() + ")");
                    break;
                }
            }
        } finally {
            if (current != null) {
                armed.addFirst(current);
            }
            worker.close();
        }
    }
}
