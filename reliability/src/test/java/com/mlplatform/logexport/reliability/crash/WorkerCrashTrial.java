package com.mlplatform.logexport.reliability.crash;

import com.mlplatform.logexport.reliability.child.ChildLine;
import com.mlplatform.logexport.reliability.trial.ChildJvm;
import com.mlplatform.logexport.reliability.trial.ExportCheck;
import com.mlplatform.logexport.reliability.trial.ExportRequests;
import com.mlplatform.logexport.reliability.trial.Finish;
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
import java.util.function.Function;

/**
 * One worker crash trial: request an export through the API, run worker JVMs on it, SIGKILL each at its armed
 * point and start a fresh one (as Lambda starts a fresh sandbox for the redelivered message), with the reconcile
 * step running on its schedule, until the export ends or is given up as stuck ({@link Finish}); then check it.
 */
public final class WorkerCrashTrial {

    /** How often the trial reads the job record (the emulator serves all lanes). */
    static final Duration POLL = Duration.ofSeconds(1);

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
            Deque<WorkerCrashes.Armed> armed = new ArrayDeque<>(plan.kills());
            drive(lane, exportId, armed, plan.recovery(), kills, failures);
            armed.forEach(a -> unreached.add(a.point().toString()));
            exports.add(ExportCheck.check(lane, exportId, reference, failures));
        }
        reconcile.unavailable().ifPresent(failures::add);
        return new TrialOutcome("worker crash", index, suiteSeed, plan.what(), plan.points(), kills, unreached, exports, failures,
                Duration.ofNanos(System.nanoTime() - started));
    }

    static long trialSeed(long suiteSeed, int index) {
        return suiteSeed ^ (0x9E3779B97F4A7C15L * (index + 1));
    }

    /** Runs workers until the export ends or the time is up; {@code armed} keeps the points never reached. */
    private static void drive(Lane lane, String exportId, Deque<WorkerCrashes.Armed> armed, Lane.Tuning recovery,
                              List<String> kills, List<String> failures) {
        Function<WorkerCrashes.Armed, ChildJvm> start = a -> a == null ? lane.startWorker(List.of(), recovery)
                : lane.startWorker(List.of(a.point()), a.invocations());
        WorkerCrashes.Armed current = armed.poll();
        ChildJvm worker = start.apply(current);
        Finish.Watch watch = new Finish.Watch();
        long lastRead = 0;
        try {
            while (true) {
                Optional<ChildLine> line = worker.next(Duration.ofMillis(300));
                if (line.isPresent() && line.get().kind().equals(ChildLine.CRASH)) {
                    worker.kill();
                    kills.add(line.get().text() + " (job then " + lane.job(exportId).map(ExportCheck::state)
                            .orElse("missing") + ")");
                    current = armed.poll();
                    worker = start.apply(current);
                    watch.changed();
                    continue;
                }
                if (!worker.isAlive()) {
                    failures.add("worker " + worker.name() + " exited by itself with status "
                            + worker.exitStatus().orElse(-1) + ":\n" + worker.tail());
                    worker = start.apply(null);
                }
                if (System.nanoTime() - lastRead < POLL.toNanos()) {
                    continue;
                }
                lastRead = System.nanoTime();
                Optional<ExportJob> job = lane.job(exportId);
                job.ifPresent(watch::saw);
                if (job.isPresent() && job.get().status().isFinished()) {
                    break;
                }
                Optional<String> stuck = watch.stuck();
                if (stuck.isPresent()) {
                    failures.add(stuck.get() + " (worker log " + worker.log() + ")");
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
