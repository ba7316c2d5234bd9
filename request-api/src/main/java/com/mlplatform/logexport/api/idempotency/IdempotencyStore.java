package com.mlplatform.logexport.api.idempotency;

import com.mlplatform.logexport.api.accept.Sha256;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The {@code Idempotency-Key} header: the same caller with the same key within {@link #WINDOW} gets the first
 * answer again and nothing new is queued.
 *
 * <p>One record per (caller, key) in the exports table, keyed {@code idem#sha256(caller, key)} and claimed with a
 * conditional put before any work, so of two concurrent requests exactly one does the work; the other sees the
 * claim and is told to retry, then gets the stored answer. The record carries no GSI key attribute (no index or
 * job query sees it) and expires through the table's TTL.
 */
public final class IdempotencyStore {

    public static final Duration WINDOW = Duration.ofHours(24);
    /**
     * A claim still PENDING after this long belongs to an invocation that died (API Gateway gives up after 30 s);
     * a new request with the key may take it over.
     */
    static final Duration LEASE = Duration.ofSeconds(60);

    static final String PREFIX = "idem#";
    static final String STATE = "idemState";
    static final String FINGERPRINT = "fingerprint";
    static final String LEASE_UNTIL = "leaseUntil";
    static final String RESPONSE_STATUS = "responseStatus";
    static final String RESPONSE_BODY = "responseBody";
    static final String RESPONSE_LOCATION = "responseLocation";
    private static final String PENDING = "PENDING";
    private static final String DONE = "DONE";

    /** What to do with a request that carries a key. */
    public sealed interface Begin {
    }

    /** First use of the key: do the work, then {@link #complete} or {@link #abandon} with this token. */
    public record Fresh(String token) implements Begin {
    }

    /** The key's first request finished: answer with what it answered. */
    public record Replay(int status, String body, String location) implements Begin {
    }

    /** The key's first request is still running. */
    public record InProgress() implements Begin {
    }

    /** The key was used for a different request. */
    public record Mismatch() implements Begin {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public IdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * @param fingerprint identifies the request's meaning (route, use case, trainings, options), so a reused key
     *                    with a different request is told apart from a replay
     */
    public Begin begin(String userId, String key, String fingerprint, Instant now) {
        String token = PREFIX + Sha256.hex(userId + "\n" + key);
        Map<String, AttributeValue> item = new HashMap<>(ExportJobItem.key(token));
        item.put(STATE, AttributeValue.fromS(PENDING));
        item.put(FINGERPRINT, AttributeValue.fromS(fingerprint));
        item.put(LEASE_UNTIL, n(now.plus(LEASE).toEpochMilli()));
        item.put(ExportJobItem.EXPIRES_AT, n(now.plus(WINDOW).getEpochSecond()));
        try {
            // TTL deletes lazily (typically within days), so an expired record counts as absent.
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(exportId) OR #exp < :nowSec"
                            + " OR (#state = :pending AND #lease < :nowMs)")
                    .expressionAttributeNames(Map.of("#exp", ExportJobItem.EXPIRES_AT, "#state", STATE,
                            "#lease", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":nowSec", n(now.getEpochSecond()),
                            ":pending", AttributeValue.fromS(PENDING), ":nowMs", n(now.toEpochMilli())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Fresh(token);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() && !e.item().isEmpty() ? e.item()
                    : dynamo.getItem(r -> r.tableName(table).key(ExportJobItem.key(token)).consistentRead(true))
                    .item();
            if (old == null || old.isEmpty()) {
                return new InProgress();
            }
            if (!fingerprint.equals(str(old, FINGERPRINT))) {
                return new Mismatch();
            }
            if (DONE.equals(str(old, STATE))) {
                return new Replay(Integer.parseInt(old.get(RESPONSE_STATUS).n()), str(old, RESPONSE_BODY),
                        str(old, RESPONSE_LOCATION));
            }
            return new InProgress();
        }
    }

    /** Stores the answer for replays. */
    public void complete(String token, int status, String body, String location) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":done", AttributeValue.fromS(DONE), ":pending", AttributeValue.fromS(PENDING),
                ":status", n(status), ":body", AttributeValue.fromS(body)));
        String update = "SET #state = :done, #status = :status, #body = :body";
        Map<String, String> names = new HashMap<>(Map.of("#state", STATE, "#status", RESPONSE_STATUS,
                "#body", RESPONSE_BODY));
        if (location != null) {
            update += ", #loc = :loc";
            names.put("#loc", RESPONSE_LOCATION);
            values.put(":loc", AttributeValue.fromS(location));
        }
        String expression = update;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(ExportJobItem.key(token))
                    .updateExpression(expression)
                    .conditionExpression("#state = :pending")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // Our lease ran out and another request took the key over; its answer wins.
        }
    }

    /** Frees the key after a request that did not succeed, so the client can retry with the same key. */
    public void abandon(String token) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(ExportJobItem.key(token))
                    .conditionExpression("#state = :pending")
                    .expressionAttributeNames(Map.of("#state", STATE))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(PENDING))));
        } catch (ConditionalCheckFailedException e) {
            // already completed or taken over
        }
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static String str(Map<String, AttributeValue> m, String k) {
        AttributeValue v = m.get(k);
        return v == null ? null : v.s();
    }
}
