package com.mlplatform.logexport.shared.job;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The exports table. Every status change is a conditional write on the status it leaves (and on the record's
 * version for read-modify-write updates), so a duplicate or late SQS delivery can never move a finished job back.
 *
 * <p>Schema: partition key {@code exportId} (S). GSIs: {@code batchId-index} (batchId, createdAt),
 * {@code user-index} (requestedBy, createdAt), {@code dedupe-index} (dedupeKey, createdAt), and the sparse
 * {@code active-index} (activeShard, updatedAt), whose key exists only on QUEUED and RUNNING jobs: every write
 * that finishes a job drops it ({@link ExportJobItem#toItem} omits it, {@link #finishIfActive} removes it).
 * TTL attribute {@code expiresAt} (epoch seconds). Other modules add their own items and queries through their own
 * adapters (this class hands out no client), using {@link ExportJobItem} for the attribute names, so there is one
 * mapping.
 */
public final class ExportJobRepository {

    /** How long finished job records are kept before DynamoDB's TTL deletes them. */
    public static final Duration RETENTION = Duration.ofDays(30);

    private final DynamoDbClient dynamo;
    private final String table;

    public ExportJobRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Creates a new QUEUED job; false if the id already exists. */
    public boolean create(ExportJob job) {
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(ExportJobItem.toItem(job, job.createdAt().plus(RETENTION)))
                    .conditionExpression("attribute_not_exists(exportId)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<ExportJob> find(String exportId) {
        return findStored(exportId).map(Stored::job);
    }

    /** A record as stored, with the token of the write that stored it (null if that write carried none). */
    public record Stored(ExportJob job, String writeToken) {
    }

    /** The record and its {@link ExportJobItem#WRITE_TOKEN}, read strongly consistent. */
    public Optional<Stored> findStored(String exportId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(ExportJobItem.key(exportId))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue token = item.get(ExportJobItem.WRITE_TOKEN);
        return Optional.of(new Stored(ExportJobItem.fromItem(item), token == null ? null : token.s()));
    }

    /**
     * Replaces the record with {@code updated} if, and only if, nobody else wrote it since {@code current} was read
     * and the status move is allowed. Returns the stored record, or empty when the condition failed (the caller
     * re-reads and decides again).
     */
    public Optional<ExportJob> replace(ExportJob current, ExportJob updated) {
        return replace(current, updated, null);
    }

    /**
     * As {@link #replace(ExportJob, ExportJob)}, and stores {@code writeToken} with the record (none if null), so
     * that a writer whose response was lost can recognise its own write with {@link #findStored}.
     */
    public Optional<ExportJob> replace(ExportJob current, ExportJob updated, String writeToken) {
        if (current.status() != updated.status() && !current.status().canMoveTo(updated.status())) {
            throw new IllegalStateException("illegal transition " + current.status() + " -> " + updated.status());
        }
        ExportJob stored = new ExportJob(updated.exportId(), updated.usecaseId(), updated.trainingId(),
                updated.requestedBy(), updated.options(), updated.status(), updated.createdAt(), updated.updatedAt(),
                updated.batchId(), updated.progress(), updated.error(), updated.result(), updated.checkpoint(),
                current.version() + 1);
        Map<String, AttributeValue> item = new HashMap<>(ExportJobItem.toItem(stored,
                stored.createdAt().plus(RETENTION)));
        if (writeToken != null) {
            item.put(ExportJobItem.WRITE_TOKEN, AttributeValue.fromS(writeToken));
        }
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("#v = :v AND #s = :s")
                    .expressionAttributeNames(Map.of("#v", ExportJobItem.VERSION, "#s", ExportJobItem.STATUS))
                    .expressionAttributeValues(Map.of(
                            ":v", AttributeValue.fromN(Long.toString(current.version())),
                            ":s", AttributeValue.fromS(current.status().name())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE));
            return Optional.of(stored);
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Moves a job to a finished state from any active state, whatever its version: used for cancel and for failing
     * a job whose message is unreadable. Returns false if the job was already finished (or does not exist).
     */
    public boolean finishIfActive(String exportId, ExportStatus target, JobError error, Instant now) {
        if (!target.isFinished()) {
            throw new IllegalArgumentException("target must be a finished state: " + target);
        }
        Map<String, String> names = new HashMap<>(Map.of("#s", ExportJobItem.STATUS, "#u", ExportJobItem.UPDATED_AT,
                "#v", ExportJobItem.VERSION, "#a", ExportJobItem.ACTIVE_SHARD));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":target", AttributeValue.fromS(target.name()),
                ":now", AttributeValue.fromS(now.toString()),
                ":one", AttributeValue.fromN("1"),
                ":queued", AttributeValue.fromS(ExportStatus.QUEUED.name()),
                ":running", AttributeValue.fromS(ExportStatus.RUNNING.name())));
        // REMOVE #a: a finished job leaves the sparse active-index. REMOVE #w: this write carries no token.
        names.put("#w", ExportJobItem.WRITE_TOKEN);
        String update = "SET #s = :target, #u = :now ADD #v :one REMOVE #a, #w";
        if (error != null) {
            names.put("#e", ExportJobItem.ERROR);
            values.put(":e", ExportJobItem.errorValue(error));
            update = "SET #s = :target, #u = :now, #e = :e ADD #v :one REMOVE #a, #w";
        }
        String expression = update;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(ExportJobItem.key(exportId))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(exportId) AND #s IN (:queued, :running)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
