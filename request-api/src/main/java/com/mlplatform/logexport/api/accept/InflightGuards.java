package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

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

    private final DynamoDbClient dynamo;
    private final String table;
    private final ExportJobRepository jobs;

    public InflightGuards(ExportJobRepository jobs) {
        this.dynamo = jobs.dynamo();
        this.table = jobs.table();
        this.jobs = jobs;
    }

    public Claim claim(String dedupeKey, String candidateId, Instant now) {
        Map<String, AttributeValue> key = ExportJobItem.key(PREFIX + Sha256.hex(dedupeKey));
        Optional<Map<String, AttributeValue>> current = put(key, candidateId, now, null);
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
            dynamo.deleteItem(r -> r.tableName(table).key(ExportJobItem.key(PREFIX + Sha256.hex(dedupeKey)))
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
        var item = new java.util.HashMap<>(key);
        item.put(OWNER, AttributeValue.fromS(candidateId));
        item.put(CLAIMED_AT, AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        item.put(ExportJobItem.EXPIRES_AT, AttributeValue.fromN(Long.toString(
                now.plus(ExportJobRepository.RETENTION).getEpochSecond())));
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

    private static Instant claimedAt(Map<String, AttributeValue> guard) {
        AttributeValue v = guard.get(CLAIMED_AT);
        return v == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }
}
