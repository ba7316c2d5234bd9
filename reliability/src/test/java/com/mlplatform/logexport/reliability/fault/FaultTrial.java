package com.mlplatform.logexport.reliability.fault;

import com.mlplatform.logexport.reliability.child.ApiCall;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The fault trial: every handler of a lane (API, workers, reconciler) talks to AWS through the {@link FaultProxy}.
 * A {@link Client} requests single and batch exports (retrying with the same {@code Idempotency-Key} what the API
 * answers with 409, 429 or 5xx), two workers run them, and every accepted export must end SUCCEEDED, byte-identical to its
 * uninterrupted run, with nothing left behind and none stuck.
 */
public final class FaultTrial {

    /**
     * Two of the API's idempotency leases (60 s) and more: a request whose claim stays behind (its work and then
     * its abandon failed past the SDK's retries) holds the key for one lease; through the faulting proxy a request
     * can take ~10 s, and a client backing off 8 s must still get attempts after a second stuck claim.
     */
    static final Duration CLIENT_PATIENCE = Duration.ofSeconds(150);
    /** 20 s invocations merging for 11: the large training in a few hops, the small ones in one or two. */
    static final Lane.Tuning INVOCATIONS = new Lane.Tuning(Duration.ofSeconds(20), 9);
    /** Lane-local trial numbers, so the windows never meet the crash trials'. */
    static final int FIRST_REQUEST = 500;
    static final int BATCH_REQUEST = FIRST_REQUEST + 5;

    private FaultTrial() {
    }

    public static TrialOutcome run(Lane direct, FaultProxy proxy, int index, long suiteSeed,
                                   ReferenceExports references, Reconcile reconcile) {
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        List<ApiCall> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(ExportRequests.single(Trainings.SMALL, FIRST_REQUEST + i));
        }
        calls.add(ExportRequests.single(Trainings.LARGE, FIRST_REQUEST + 4));
        calls.add(ExportRequests.batch(Trainings.BATCH, BATCH_REQUEST));
        Map<String, CompletableFuture<byte[]>> accepted = new LinkedHashMap<>();
        int clientRetries = 0;
        try (Lane lane = direct.through(proxy.endpoint()); Reconcile.Running reconciling = reconcile.start(lane)) {
            for (ApiCall call : calls) {
                Client.Result result = Client.send(lane, call, CLIENT_PATIENCE);
                clientRetries += result.retries();
                if (result.accepted()) {
                    result.last().exportIds().forEach(id -> accepted.computeIfAbsent(id,
                            k -> references.of(direct, k)));
                } else {
                    failures.add(call.method() + " " + call.path() + " was never accepted: " + result);
                }
            }
            // A batch request answered 5xx after writing its record and plan still has exports (the fan-out sweep
            // creates them); the client's retry started another batch.
            direct.plannedExports(ExportRequests.windowStart(BATCH_REQUEST)).forEach(id -> accepted.computeIfAbsent(id,
                    k -> references.of(direct, k)));
            List<String> exports = new ArrayList<>();
            try (ChildJvm one = lane.startWorker(List.of(), INVOCATIONS);
                 ChildJvm two = lane.startWorker(List.of(), INVOCATIONS)) {
                Finish.Wait wait = Finish.await(direct, accepted.keySet());
                if (!wait.finished()) {
                    failures.add(wait.verdict() + ": " + wait.open() + " (worker logs " + one.log() + ", "
                            + two.log() + ")");
                }
            }
            accepted.forEach((id, reference) -> exports.add(ExportCheck.check(direct, id, reference, failures)));
            reconciling.unavailable().ifPresent(failures::add);
            return new TrialOutcome("faults", index, suiteSeed, accepted.size() + " exports (" + calls.size()
                    + " requests, " + clientRetries + " client retries) through a proxy failing "
                    + proxy.injectedTotal() + " of " + proxy.calls().values().stream().mapToLong(Long::longValue).sum()
                    + " calls", List.of(), List.of(), List.of(),
                    exports, failures, Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
