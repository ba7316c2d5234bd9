package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * In-flight dedupe: while an export is QUEUED or RUNNING, the same caller asking for the same training with the
 * same options gets that export back, even when the two requests race.
 *
 * <p>A GSI cannot enforce uniqueness (its reads are eventually consistent and it takes no conditions), so each
 * (caller, use case, training, options) has a guard item in the exports table, keyed
 * {@code inflight#sha256(dedupeKey)}, naming the export that owns it. It is claimed with a conditional put; a
 * guard whose export has finished is taken over with a put conditioned on the export it still names. Two racing
 * requests therefore cannot both win. Guard items carry none of the GSI key attributes, so no index or job query
 * ever sees them, and they expire through the table's TTL like jobs.
 *
 * <p>Many guards are claimed at once with {@link #claimAll}: TransactWriteItems, up to 100 conditional puts per
 * call, the calls in parallel. A transaction fails as a whole if any condition fails, so on
 * TransactionCanceledException its CancellationReasons (one per item, in order) are read: a
 * {@code ConditionalCheckFailed} item is a guard someone holds (resolved one by one as in {@link #claim}: join
 * the export in flight or take over a stale guard), items cancelled only because of the others ({@code None}) are
 * sent again at once, and conflicts or throttling are sent again with backoff. Transactions are authorised item by
 * item, so they need no IAM action beyond dynamodb:PutItem.
 */
public final class InflightGuards {

    static final String PREFIX = "inflight#";
    static final String OWNER = "guardFor";
    static final String CLAIMED_AT = "claimedAt";
    /**
     * A guard whose export does not exist yet belongs to a request that is between claiming it and writing the
     * job (milliseconds). After this long without a job, the claimant has died and the guard may be taken over.
     */
    static final Duration PENDING_GRACE = Duration.ofSeconds(60);
    private static final int MAX_ROUNDS = 5;
    /** DynamoDB's limit of actions per TransactWriteItems call. */
    static final int MAX_TRANSACTION = 100;
    private static final Set<String> RETRY_LATER = Set.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded");
    private static final StructuredLog LOG = new StructuredLog("request-api");

    /** Outcome of a claim. */
    public sealed interface Claim {
        String exportId();
    }

    /** The guard is ours: the caller must now create the export, or release the guard. */
    public record Claimed(String exportId) implements Claim {
    }

    /** An export for the same request is in flight: hand that one back. */
    public record Joined(String exportId, ExportStatus status) implements Claim {
    }

    /**
     * The guard could not be claimed (AWS refused or could not be reached, or it stayed contended). The guard for
     * {@code exportId} has been released if it was written; nothing else exists for it.
     */
    public record Failed(String exportId) implements Claim {
    }

    /** One guard to claim: the request's dedupe key and the id the new export would get. */
    public record Request(String dedupeKey, String candidateId) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final ExportJobRepository jobs;
    private final Backoff backoff;

    public InflightGuards(ExportJobRepository jobs) {
        this(jobs, Backoff.standard());
    }

    InflightGuards(ExportJobRepository jobs, Backoff backoff) {
        this.dynamo = jobs.dynamo();
        this.table = jobs.table();
        this.jobs = jobs;
        this.backoff = backoff;
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
        List<Map<Request, Outcome>> phase1 = Parallel.map(pool, Parallel.chunks(requests, MAX_TRANSACTION),
                chunk -> transact(chunk, now));
        Map<Request, Outcome> outcomes = new HashMap<>();
        phase1.forEach(outcomes::putAll);
        // Phase 2: guards someone already holds, one by one (in parallel): join the export or take over the guard.
        List<Request> held = requests.stream().filter(r -> outcomes.get(r) instanceof Held).toList();
        Map<Request, Claim> resolved = new HashMap<>();
        if (!held.isEmpty()) {
            List<Claim> claims = Parallel.map(pool, held, r -> resolveSafely(r, ((Held) outcomes.get(r)).guard(), now));
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

    private sealed interface Outcome {
    }

    private record Won() implements Outcome {
    }

    private record Held(Map<String, AttributeValue> guard) implements Outcome {
    }

    private record Lost() implements Outcome {
    }

    private Map<Request, Outcome> transact(List<Request> chunk, Instant now) {
        Map<Request, Outcome> outcomes = new HashMap<>();
        List<Request> pending = chunk;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<Request> sending = pending;
            List<TransactWriteItem> items = new ArrayList<>(sending.size());
            for (Request r : sending) {
                items.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(guardItem(keyOf(r.dedupeKey()), r.candidateId(), now))
                        .conditionExpression("attribute_not_exists(exportId)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
            }
            try {
                // The token makes the SDK's own retries of this call idempotent.
                dynamo.transactWriteItems(t -> t.transactItems(items).clientRequestToken(UUID.randomUUID().toString()));
                sending.forEach(r -> outcomes.put(r, new Won()));
                return outcomes;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.size() != sending.size()) {
                    LOG.warn("inflight_transaction_cancelled", "items", sending.size(), "reasons", reasons.size());
                    sending.forEach(r -> outcomes.put(r, new Lost()));
                    return outcomes;
                }
                List<Request> again = new ArrayList<>();
                boolean wait = false;
                for (int i = 0; i < sending.size(); i++) {
                    Request r = sending.get(i);
                    String code = reasons.get(i).code();
                    if ("ConditionalCheckFailed".equals(code)) {
                        outcomes.put(r, new Held(reasons.get(i).hasItem() ? reasons.get(i).item() : Map.of()));
                    } else if (code == null || "None".equals(code)) {
                        again.add(r); // cancelled only because another item failed
                    } else if (RETRY_LATER.contains(code)) {
                        again.add(r);
                        wait = true;
                    } else {
                        LOG.warn("inflight_claim_refused", "code", code);
                        outcomes.put(r, new Lost());
                    }
                }
                wait |= again.size() == sending.size(); // no item settled: do not spin
                if (wait && (attempt >= backoff.maxAttempts() || !backoff.pause(attempt))) {
                    LOG.warn("inflight_claim_contended", "items", again.size(), "attempts", attempt);
                    again.forEach(r -> outcomes.put(r, new Lost()));
                    return outcomes;
                }
                pending = again;
            } catch (SdkException e) {
                // Whether the transaction was applied is unknown: give back whatever of it may have been written.
                LOG.warn("inflight_transaction_failed", "items", sending.size(), "exception",
                        e.getClass().getSimpleName());
                for (Request r : sending) {
                    outcomes.put(r, new Lost());
                    try {
                        release(r.dedupeKey(), r.candidateId());
                    } catch (SdkException ignored) {
                        // not written, or DynamoDB unreachable: either way a claim without a job expires after
                        // PENDING_GRACE
                    }
                }
                return outcomes;
            }
        }
        return outcomes;
    }

    private Claim resolveSafely(Request r, Map<String, AttributeValue> guard, Instant now) {
        try {
            Map<String, AttributeValue> key = keyOf(r.dedupeKey());
            Optional<Map<String, AttributeValue>> current = guard.containsKey(OWNER) ? Optional.of(guard)
                    : put(key, r.candidateId(), now, null);
            return resolve(key, r.candidateId(), now, current);
        } catch (SdkException | IllegalStateException e) {
            LOG.warn("inflight_claim_failed", "exception", e.getClass().getSimpleName());
            return new Failed(r.candidateId());
        }
    }

    public Claim claim(String dedupeKey, String candidateId, Instant now) {
        Map<String, AttributeValue> key = keyOf(dedupeKey);
        return resolve(key, candidateId, now, put(key, candidateId, now, null));
    }

    /** Given the guard as it stands ({@code current}; empty when we just wrote it), joins, takes over or claims. */
    private Claim resolve(Map<String, AttributeValue> key, String candidateId, Instant now,
                          Optional<Map<String, AttributeValue>> current) {
        for (int round = 0; current.isPresent() && round < MAX_ROUNDS; round++) {
            String owner = current.get().get(OWNER).s();
            Optional<ExportJob> job = jobs.find(owner);
            if (job.isPresent() && job.get().status().isActive()) {
                return new Joined(owner, job.get().status());
            }
            if (job.isEmpty() && claimedAt(current.get()).isAfter(now.minus(PENDING_GRACE))) {
                return new Joined(owner, ExportStatus.QUEUED);
            }
            current = put(key, candidateId, now, owner);
        }
        if (current.isPresent()) {
            throw new IllegalStateException("in-flight guard still contended after " + MAX_ROUNDS + " rounds");
        }
        return new Claimed(candidateId);
    }

    /** Gives the guard up, if {@code exportId} still owns it (the export was never created or never queued). */
    public void release(String dedupeKey, String exportId) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(keyOf(dedupeKey))
                    .conditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", OWNER))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(exportId))));
        } catch (ConditionalCheckFailedException e) {
            // someone else owns it by now: nothing of ours to release
        }
    }

    /**
     * Writes the guard for {@code candidateId} if it is free ({@code previousOwner} null) or still names
     * {@code previousOwner}. Empty when written; otherwise the guard as it stands.
     */
    private Optional<Map<String, AttributeValue>> put(Map<String, AttributeValue> key, String candidateId,
                                                      Instant now, String previousOwner) {
        Map<String, AttributeValue> item = guardItem(key, candidateId, now);
        try {
            dynamo.putItem(r -> {
                r.tableName(table).item(item)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                if (previousOwner == null) {
                    r.conditionExpression("attribute_not_exists(exportId)");
                } else {
                    r.conditionExpression("#o = :o")
                            .expressionAttributeNames(Map.of("#o", OWNER))
                            .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(previousOwner)));
                }
            });
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            if (e.hasItem() && e.item().containsKey(OWNER)) {
                return Optional.of(e.item());
            }
            var stored = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
            // Gone between the two calls (released): try once more as a free guard.
            return stored == null || stored.isEmpty() ? put(key, candidateId, now, null) : Optional.of(stored);
        }
    }

    private static Map<String, AttributeValue> keyOf(String dedupeKey) {
        return ExportJobItem.key(PREFIX + Sha256.hex(dedupeKey));
    }

    private static Map<String, AttributeValue> guardItem(Map<String, AttributeValue> key, String candidateId,
                                                         Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(OWNER, AttributeValue.fromS(candidateId));
        item.put(CLAIMED_AT, AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        item.put(ExportJobItem.EXPIRES_AT, AttributeValue.fromN(Long.toString(
                now.plus(ExportJobRepository.RETENTION).getEpochSecond())));
        return item;
    }

    private static Instant claimedAt(Map<String, AttributeValue> guard) {
        AttributeValue v = guard.get(CLAIMED_AT);
        return v == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }
}
