package com.mlplatform.logexport.reliability.crash;

import com.mlplatform.logexport.reliability.child.CrashPoint;
import com.mlplatform.logexport.reliability.trial.ChildJvm;
import com.mlplatform.logexport.reliability.trial.Client;
import com.mlplatform.logexport.reliability.trial.ExportCheck;
import com.mlplatform.logexport.reliability.trial.ExportRequests;
import com.mlplatform.logexport.reliability.trial.Finish;
import com.mlplatform.logexport.reliability.trial.Lane;
import com.mlplatform.logexport.reliability.trial.Reconcile;
import com.mlplatform.logexport.reliability.trial.ReferenceExports;
import com.mlplatform.logexport.reliability.trial.Trainings;
import com.mlplatform.logexport.reliability.trial.TrialOutcome;
import com.mlplatform.logexport.shared.job.ExportJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One request-API crash trial: the API JVM is SIGKILLed after it wrote the export records and before it sent their
 * messages (API Gateway's 29 s timeout or a sandbox crash there look the same to the client: no answer). The client
 * then retries the same request with the same {@code Idempotency-Key} as a {@link Client} does, through the 409s
 * of the dead request's claim. Every export the API
 * accepted — those written before the kill and those the retry names — must still complete.
 */
public final class ApiCrashTrial {

    /** The API's sends, whichever it uses: killed just before the first. */
    static final List<CrashPoint> BEFORE_SENDING = List.of(CrashPoint.before("SendMessageBatch", 1),
            CrashPoint.before("SendMessage", 1));
    /** Longer than the API's idempotency lease (60 s), after which the dead request's key may be taken over. */
    static final Duration CLIENT_PATIENCE = Duration.ofSeconds(90);

    private ApiCrashTrial() {
    }

    public static TrialOutcome run(Lane lane, int index, long suiteSeed, ReferenceExports references,
                                   Reconcile.Running reconcile) {
        long started = System.nanoTime();
        boolean batch = index % 2 == 1;
        var call = batch ? ExportRequests.batch(Trainings.BATCH, index) : ExportRequests.single(Trainings.SMALL, index);
        List<String> failures = new ArrayList<>();
        List<String> kills = new ArrayList<>();
        List<String> unreached = new ArrayList<>();

        var outcome = lane.call(call, BEFORE_SENDING);
        if (outcome instanceof Lane.Crashed crashed) {
            kills.add(crashed.point() + " (no answer to the client)");
        } else {
            unreached.add(CrashPoint.formatList(BEFORE_SENDING));
            failures.add("the API answered without reaching a send: " + outcome);
        }
        Map<String, CompletableFuture<byte[]>> accepted = new LinkedHashMap<>();
        for (ExportJob job : lane.jobs()) {
            if (Objects.equals(job.options().startTime(), ExportRequests.windowStart(index))) {
                accepted.put(job.exportId(), references.of(lane, job.exportId()));
            }
        }
        // A single export's record is written before its message; a batch writes only its record and plan before
        // its one fan-out message, and the fan-out creates the exports after (checked below through the retry).
        if (accepted.isEmpty() && !batch) {
            failures.add("no export record was written before the kill");
        }
        Client.Result retry = Client.send(lane, call, CLIENT_PATIENCE);
        if (retry.accepted()) {
            for (String id : retry.last().exportIds()) {
                accepted.computeIfAbsent(id, k -> references.of(lane, k));
            }
        } else {
            failures.add("the client's retry (same Idempotency-Key) was never accepted: " + retry);
        }
        if (batch) {
            // The killed request's batch too: its record and plan were written, so the fan-out sweep creates its
            // exports, and they must end like any other (unchecked, one once ran on past the suite's end).
            for (String id : lane.plannedExports(ExportRequests.windowStart(index))) {
                accepted.computeIfAbsent(id, k -> references.of(lane, k));
            }
        }
        List<String> exports = new ArrayList<>();
        try (ChildJvm worker = lane.startWorker(List.of())) {
            Finish.Wait wait = Finish.await(lane, accepted.keySet());
            if (!wait.finished()) {
                failures.add(wait.verdict() + ": " + wait.open() + " (worker log " + worker.log() + ")");
            }
        }
        accepted.forEach((id, reference) -> exports.add(ExportCheck.check(lane, id, reference, failures)));
        reconcile.unavailable().ifPresent(failures::add);
        return new TrialOutcome("API crash", index, suiteSeed, (batch ? "batch of " + Trainings.BATCH.size()
                + " exports" : "single export") + ", API killed after writing the records, before sending",
                List.of(CrashPoint.formatList(BEFORE_SENDING)), kills, unreached, exports, failures,
                Duration.ofNanos(System.nanoTime() - started));
    }
}
