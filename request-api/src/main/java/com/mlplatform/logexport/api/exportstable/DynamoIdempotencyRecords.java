package com.mlplatform.logexport.api.exportstable;

import com.mlplatform.logexport.api.idempotency.IdempotencyRecords;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link IdempotencyRecords} in the exports table: one item per (caller, key), keyed {@code idem#<token>}, claimed
 * with a conditional put. It carries no GSI key attribute (no index or job query sees it) and expires through the
 * table's TTL.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html">TTL: items are deleted lazily, typically within a few days</a>
 */
public record DynamoIdempotencyRecords(DynamoDbClient dynamo, String table) implements IdempotencyRecords {

    static final String PREFIX = "idem#";
    static final String STATE = "idemState";
    static final String FINGERPRINT = "fingerprint";
    static final String LEASE_UNTIL = "leaseUntil";
    /** The request that holds the claim ({@link Ticket#owner()}). */
    static final String OWNER = "claimOwner";
    static final String RESPONSE_STATUS = "responseStatus";
    /** The answer as text: records written before answers were compressed. */
    static final String RESPONSE_BODY = "responseBody";
    /** The answer, gzip-compressed (a batch's answer echoes up to 256 KiB of ids; see {@link Gzip}). */
    static final String RESPONSE_BODY_GZ = "responseBodyGz";
    static final String RESPONSE_LOCATION = "responseLocation";
    private static final String PENDING = "PENDING";
    private static final String DONE = "DONE";

    @Override
    public Claim claim(Ticket ticket, String fingerprint, Instant now, Instant leaseUntil, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(ticket.token()));
        item.put(OWNER, AttributeValue.fromS(ticket.owner()));
        item.put(STATE, AttributeValue.fromS(PENDING));
        item.put(FINGERPRINT, AttributeValue.fromS(fingerprint));
        item.put(LEASE_UNTIL, n(leaseUntil.toEpochMilli()));
        item.put(ExportJobItem.EXPIRES_AT, n(expiresAt.getEpochSecond()));
        try {
            // TTL deletes lazily, so an expired record counts as absent.
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(exportId) OR #exp < :nowSec"
                            + " OR (#state = :pending AND #lease < :nowMs)")
                    .expressionAttributeNames(Map.of("#exp", ExportJobItem.EXPIRES_AT, "#state", STATE,
                            "#lease", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":nowSec", n(now.getEpochSecond()),
                            ":pending", AttributeValue.fromS(PENDING), ":nowMs", n(now.toEpochMilli())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claimed();
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() && !e.item().isEmpty() ? e.item()
                    : dynamo.getItem(r -> r.tableName(table).key(key(ticket.token())).consistentRead(true)).item();
            if (old == null || old.isEmpty()) {
                return new Held(Optional.empty());
            }
            if (PENDING.equals(str(old, STATE)) && ticket.owner().equals(str(old, OWNER))) {
                // Our own put committed and its response was lost; the SDK's repeat found it.
                return new Claimed();
            }
            boolean done = DONE.equals(str(old, STATE));
            return new Held(Optional.of(new Stored(str(old, FINGERPRINT), done,
                    done ? Integer.parseInt(old.get(RESPONSE_STATUS).n()) : 0, body(old),
                    str(old, RESPONSE_LOCATION))));
        }
    }

    @Override
    public boolean complete(Ticket ticket, int status, String body, String location) {
        byte[] compressed = Gzip.compress(body);
        if (compressed.length > Gzip.MAX_STORED_BYTES) {
            return false;
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":done", AttributeValue.fromS(DONE), ":pending", AttributeValue.fromS(PENDING),
                ":owner", AttributeValue.fromS(ticket.owner()),
                ":status", n(status), ":body", AttributeValue.fromB(SdkBytes.fromByteArray(compressed))));
        String update = "SET #state = :done, #status = :status, #body = :body";
        Map<String, String> names = new HashMap<>(Map.of("#state", STATE, "#owner", OWNER,
                "#status", RESPONSE_STATUS, "#body", RESPONSE_BODY_GZ));
        if (location != null) {
            update += ", #loc = :loc";
            names.put("#loc", RESPONSE_LOCATION);
            values.put(":loc", AttributeValue.fromS(location));
        }
        String expression = update;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(ticket.token()))
                    .updateExpression(expression)
                    .conditionExpression("#state = :pending AND #owner = :owner")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // Our lease ran out and another request took the key over (its answer wins), or our own update
            // committed and the SDK's repeat found it DONE.
        }
        return true;
    }

    @Override
    public void abandon(Ticket ticket) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(ticket.token()))
                    .conditionExpression("#state = :pending AND #owner = :owner")
                    .expressionAttributeNames(Map.of("#state", STATE, "#owner", OWNER))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(PENDING),
                            ":owner", AttributeValue.fromS(ticket.owner()))));
        } catch (ConditionalCheckFailedException e) {
            // already completed, deleted by our own lost-response delete, or taken over by another request
        }
    }

    private static Map<String, AttributeValue> key(String token) {
        return ExportJobItem.key(PREFIX + token);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static String body(Map<String, AttributeValue> item) {
        AttributeValue gz = item.get(RESPONSE_BODY_GZ);
        return gz != null && gz.b() != null ? Gzip.decompress(gz.b().asByteArray()) : str(item, RESPONSE_BODY);
    }

    private static String str(Map<String, AttributeValue> m, String k) {
        AttributeValue v = m.get(k);
        return v == null ? null : v.s();
    }
}
