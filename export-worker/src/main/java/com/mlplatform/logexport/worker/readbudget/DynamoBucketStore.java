package com.mlplatform.logexport.worker.readbudget;

import com.mlplatform.logexport.shared.job.ExportJobItem;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Read budgets as items of the exports table, one per account, Region and operation ({@code exportId} =
 * {@code read-budget#<account>#<region>#<operation>}): no new table, and the worker already may update that table.
 * The item holds no status, training or GSI key, so export queries and indexes never see it; {@code expiresAt} lets
 * DynamoDB's TTL delete a bucket a day after its last use (an absent bucket is a full one).
 *
 * <p>One conditional UpdateItem per lease while the bucket is busy ({@code tat = tat + :n} if {@code tat >= floor}:
 * concurrent workers add up, no read, no retry on contention); when it is idle or new, a second write starts it from
 * the floor. Each call may take at most {@link #CALL_TIMEOUT}: a throttled or slow table makes the budget fall back,
 * it never holds an export up.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html">UpdateItem</a>
 */
public record DynamoBucketStore(DynamoDbClient dynamo, String table) implements BucketStore {

    static final String TAT = "tat";
    static final String EXPIRES_AT = "expiresAt";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    static final Duration KEEP_IDLE = Duration.ofDays(1);
    /** Busy/idle flips in a row before giving up (each needs another worker's write in between). */
    static final int ATTEMPTS = 5;

    /** The key of an account's bucket for one operation. */
    public static String key(String accountId, String region, String operation) {
        return "read-budget#" + accountId + "#" + region + "#" + operation;
    }

    @Override
    public double advance(String key, double floor, double increment) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // A busy bucket (arrival time at or past the floor): add, whatever other workers added meanwhile.
            try {
                return Double.parseDouble(update(key, "SET " + TAT + " = " + TAT + " + :n, " + EXPIRES_AT + " = :e",
                        TAT + " >= :floor", Map.of(":n", number(increment), ":floor", number(floor)), floor)
                        .get(TAT).n());
            } catch (ConditionalCheckFailedException busyFailed) {
                // An idle (full) or new bucket: start from the floor, unless someone just made it busy.
            }
            try {
                update(key, "SET " + TAT + " = :start, " + EXPIRES_AT + " = :e",
                        "attribute_not_exists(" + TAT + ") OR " + TAT + " < :floor",
                        Map.of(":start", number(floor + increment), ":floor", number(floor)), floor);
                return floor + increment;
            } catch (ConditionalCheckFailedException idleFailed) {
                // Became busy between the two writes: add instead.
            }
        }
        throw new IllegalStateException("read budget " + key + " changed state " + ATTEMPTS + " times in a row");
    }

    private Map<String, AttributeValue> update(String key, String expression, String condition,
                                               Map<String, AttributeValue> values, double floor) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":e", AttributeValue.fromN(Long.toString((long) (floor / 1000) + KEEP_IDLE.toSeconds())));
        return dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of(ExportJobItem.EXPORT_ID, AttributeValue.fromS(key)))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeValues(all)
                .returnValues(ReturnValue.UPDATED_NEW)
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))).attributes();
    }

    /** Exactly the double, without an exponent: DynamoDB keeps 38 digits, so the condition compares what was written. */
    private static AttributeValue number(double value) {
        return AttributeValue.fromN(BigDecimal.valueOf(value).toPlainString());
    }
}
