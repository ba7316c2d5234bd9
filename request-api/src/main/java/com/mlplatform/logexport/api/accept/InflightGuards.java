package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.batch.Chunks;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * In-flight dedupe: while an export is live (QUEUED or RUNNING and recently written, see {@link Liveness}), the
 * same caller asking for the same training with the same options gets that export back, even when the two requests
 * race; a stuck export is never handed back, its guard is taken over by a new export. Each dedupe key has a {@link Guard} naming
 * the export that owns it; this class decides when to claim, join or take over one, {@link GuardTable} stores them.
 * Why guards and how a cancelled transaction is read: docs/api.md, "In-flight guards".
 */
public final class InflightGuards {

    /**
     * A guard whose export does not exist yet belongs to a request that is between claiming it and writing the
     * job (milliseconds). After this long without a job, the claimant has died and the guard may be taken over.
     */
    static final Duration PENDING_GRACE = Duration.ofSeconds(60);
    private static final int MAX_ROUNDS = 5;
    private static final StructuredLog LOG = new StructuredLog("request-api");

    /** Looks an export up by id ({@code ExportJobRepository::find} in production). */
    @FunctionalInterface
    public interface Exports {
        Optional<ExportJob> find(String exportId);
    }

    /** Outcome of a claim. */
    public sealed interface Claim {
        String exportId();
    }

    /**
     * The guard is ours: the caller must now create the export, or release the guard. The export the guard named
     * before, if any, finished or is stuck; a stuck one is left to the reconciler.
     */
    public record Claimed(String exportId) implements Claim {
    }

    /** A live export for the same request is in flight ({@link Liveness}): hand that one back. */
    public record Joined(String exportId, ExportStatus status) implements Claim {
    }

    /**
     * The guard could not be claimed (the store refused or could not be reached, or it stayed contended). The
     * guard for {@code exportId} has been released if it was written; nothing else exists for it.
     */
    public record Failed(String exportId) implements Claim {
    }

    /** One guard to claim: the request's dedupe key and the id the new export would get. */
    public record Request(String dedupeKey, String candidateId) {
    }

    private final GuardTable table;
    private final Exports exports;
    private final Liveness liveness;
    private final RetryLoop retry;

    public InflightGuards(GuardTable table, Exports exports, Liveness liveness, RetryLoop retry) {
        this.table = table;
        this.exports = exports;
        this.liveness = liveness;
        this.retry = retry;
    }

    /**
     * Claims the guards of distinct dedupe keys in bulk. Results come back in the order of {@code requests}; a
     * {@link Failed} result stands for that request alone.
     */
    public List<Claim> claimAll(List<Request> requests, Instant now, ExecutorService pool) {
        Set<String> distinct = new HashSet<>();
        for (Request r : requests) {
            if (!distinct.add(r.dedupeKey())) {
                throw new IllegalArgumentException("dedupe keys must be distinct (one transaction item each)");
            }
        }
        // Phase 1: the transactions, in parallel. Each chunk says, per request, claimed / held / failed.
        List<Map<Request, Outcome>> phase1 = Chunks.inParallel(pool, requests, GuardTable.MAX_TRANSACTION,
                chunk -> transact(chunk, now));
        Map<Request, Outcome> outcomes = new HashMap<>();
        phase1.forEach(outcomes::putAll);
        // Phase 2: guards someone already holds, one by one (in parallel): join the export or take over the guard.
        List<Request> held = requests.stream().filter(r -> outcomes.get(r) instanceof Held).toList();
        Map<Request, Claim> resolved = new HashMap<>();
        if (!held.isEmpty()) {
            List<Claim> claims = Chunks.inParallel(pool, held, r -> resolveSafely(r, ((Held) outcomes.get(r)).guard(), now));
            for (int i = 0; i < held.size(); i++) {
                resolved.put(held.get(i), claims.get(i));
            }
        }
        List<Claim> results = new ArrayList<>(requests.size());
        for (Request r : requests) {
            Outcome o = outcomes.get(r);
            results.add(o instanceof Won ? new Claimed(r.candidateId())
                    : o instanceof Held ? resolved.get(r) : new Failed(r.candidateId()));
        }
        return results;
    }

    /** Gives the guard up, if {@code exportId} still owns it (the export was never created or never queued). */
    public void release(String dedupeKey, String exportId) {
        table.deleteIfOwner(dedupeKey, exportId);
    }

    private sealed interface Outcome {
    }

    private record Won() implements Outcome {
    }

    private record Held(Optional<Guard> guard) implements Outcome {
    }

    private record Lost() implements Outcome {
    }

    /** Claims one chunk: transactions until every guard is won, held or lost; pauses only for conflicts. */
    private Map<Request, Outcome> transact(List<Request> chunk, Instant now) {
        Map<Request, Outcome> outcomes = new HashMap<>();
        List<Request> contended = retry.untilDone(chunk, pending -> sendUntilSettled(pending, now, outcomes));
        if (!contended.isEmpty()) {
            LOG.warn("inflight_claim_contended", "items", contended.size(), "maxAttempts",
                    retry.backoff().maxAttempts());
            contended.forEach(r -> outcomes.put(r, new Lost()));
        }
        return outcomes;
    }

    /**
     * Sends the transaction, and sends again at once what it cancelled only because of held guards (each round
     * settles at least one guard). Returns what is left for a retry after a pause: items that met a conflict or
     * throttling, or a round that settled nothing.
     */
    private List<Request> sendUntilSettled(List<Request> pending, Instant now, Map<Request, Outcome> outcomes) {
        List<Request> sending = pending;
        while (!sending.isEmpty()) {
            GuardTable.Transaction result;
            try {
                result = table.putAllIfFree(sending.stream().map(r -> guard(r, now)).toList());
            } catch (SdkException e) {
                // Whether the transaction was applied is unknown: give back whatever of it may have been written.
                LOG.warn("inflight_transaction_failed", "items", sending.size(), "exception",
                        e.getClass().getSimpleName());
                sending.forEach(r -> outcomes.put(r, new Lost()));
                sending.forEach(this::releaseQuietly);
                return List.of();
            }
            if (!(result instanceof GuardTable.Cancelled cancelled)) {
                sending.forEach(r -> outcomes.put(r, new Won()));
                return List.of();
            }
            List<GuardTable.Reason> reasons = cancelled.reasons();
            if (reasons.size() != sending.size()) {
                LOG.warn("inflight_transaction_cancelled", "items", sending.size(), "reasons", reasons.size());
                sending.forEach(r -> outcomes.put(r, new Lost()));
                return List.of();
            }
            List<Request> again = new ArrayList<>();
            boolean wait = false;
            for (int i = 0; i < sending.size(); i++) {
                Request r = sending.get(i);
                GuardTable.Reason reason = reasons.get(i);
                switch (reason.kind()) {
                    case HELD -> outcomes.put(r, new Held(reason.holder()));
                    case COLLATERAL -> again.add(r); // cancelled only because another item failed
                    case RETRY_LATER -> {
                        again.add(r);
                        wait = true;
                    }
                    case REFUSED -> {
                        LOG.warn("inflight_claim_refused", "code", reason.code());
                        outcomes.put(r, new Lost());
                    }
                }
            }
            if (wait || again.size() == sending.size()) { // no item settled: do not spin
                return again;
            }
            sending = again;
        }
        return List.of();
    }

    private void releaseQuietly(Request r) {
        try {
            release(r.dedupeKey(), r.candidateId());
        } catch (SdkException ignored) {
            // not written, or the store unreachable: either way a claim without a job expires after PENDING_GRACE
        }
    }

    private Claim resolveSafely(Request r, Optional<Guard> holder, Instant now) {
        try {
            Guard mine = guard(r, now);
            return resolve(mine, now, holder.isPresent() ? holder : put(mine, null));
        } catch (SdkException | IllegalStateException e) {
            LOG.warn("inflight_claim_failed", "exception", e.getClass().getSimpleName());
            return new Failed(r.candidateId());
        }
    }

    /** Given the guard as it stands ({@code current}; empty when we just wrote ours), joins, takes over or claims. */
    private Claim resolve(Guard mine, Instant now, Optional<Guard> current) {
        for (int round = 0; current.isPresent() && round < MAX_ROUNDS; round++) {
            String owner = current.get().owner();
            if (owner.equals(mine.owner())) {
                // Our own write: it committed, its response was lost and the SDK's retry found the guard taken.
                // Candidate ids are new for every request, so no one else can hold a guard naming ours.
                return new Claimed(owner);
            }
            Optional<ExportJob> job = exports.find(owner);
            if (job.isPresent() && liveness.isLive(job.get(), now)) {
                return new Joined(owner, job.get().status());
            }
            if (job.isEmpty() && current.get().claimedAt().isAfter(now.minus(PENDING_GRACE))) {
                return new Joined(owner, ExportStatus.QUEUED);
            }
            current = put(mine, owner);
        }
        if (current.isPresent()) {
            throw new IllegalStateException("in-flight guard still contended after " + MAX_ROUNDS + " rounds");
        }
        return new Claimed(mine.owner());
    }

    /**
     * Writes {@code mine} if the key is free ({@code previousOwner} null) or still names {@code previousOwner}.
     * Empty when written; otherwise the guard as it stands.
     */
    private Optional<Guard> put(Guard mine, String previousOwner) {
        if (table.put(mine, previousOwner) instanceof GuardTable.Refused refused) {
            // Gone between the write and the read (released): try once more as a free guard.
            return refused.current().isPresent() ? refused.current() : put(mine, null);
        }
        return Optional.empty();
    }

    private static Guard guard(Request r, Instant now) {
        return new Guard(r.dedupeKey(), r.candidateId(), now);
    }
}
