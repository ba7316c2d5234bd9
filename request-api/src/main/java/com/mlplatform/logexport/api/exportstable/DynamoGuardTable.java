package com.mlplatform.logexport.api.exportstable;

import com.mlplatform.logexport.api.accept.Guard;
import com.mlplatform.logexport.api.accept.GuardTable;
import com.mlplatform.logexport.api.accept.Sha256;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link GuardTable} in the exports table. A guard is an item keyed {@code inflight#sha256(dedupeKey)} (so no user
 * id is a key) that carries none of the GSI key attributes, so no index or job query ever sees it; it expires
 * through the table's TTL like a job.
 *
 * <p>A transaction fails as a whole if any condition fails; its CancellationReasons, one per item in order, say
 * which item was held ({@code ConditionalCheckFailed}, with the item when ALL_OLD is asked for), which was
 * cancelled only because of the others ({@code None}) and which met a conflict or throttling. DynamoDB authorises
 * a transaction item by item, so it needs no IAM action beyond dynamodb:PutItem.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html">TransactWriteItems</a>
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html">IAM with DynamoDB transactions</a>
 */
public record DynamoGuardTable(DynamoDbClient dynamo, String table) implements GuardTable {

    static final String PREFIX = "inflight#";
    static final String OWNER = "guardFor";
    static final String CLAIMED_AT = "claimedAt";
    private static final String FREE = "attribute_not_exists(exportId)";
    private static final Set<String> RETRY_LATER = Set.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded");

    @Override
    public Transaction putAllIfFree(List<Guard> guards) {
        List<TransactWriteItem> items = guards.stream()
                .map(g -> TransactWriteItem.builder().put(p -> p.tableName(table).item(item(g))
                        .conditionExpression(FREE)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build())
                .toList();
        try {
            // The token makes the SDK's own retries of this call idempotent.
            dynamo.transactWriteItems(t -> t.transactItems(items).clientRequestToken(UUID.randomUUID().toString()));
            return new Committed();
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (reasons.size() != guards.size()) {
                // Not one reason per item: nothing can be read from them (the guards' owner logs the count).
                return new Cancelled(reasons.stream()
                        .map(r -> new Reason(Kind.REFUSED, Optional.empty(), r.code())).toList());
            }
            return new Cancelled(IntStream.range(0, reasons.size())
                    .mapToObj(i -> reason(reasons.get(i), guards.get(i).dedupeKey())).toList());
        }
    }

    private static Reason reason(CancellationReason r, String dedupeKey) {
        String code = r.code();
        if ("ConditionalCheckFailed".equals(code)) {
            return new Reason(Kind.HELD, r.hasItem() ? guardOf(r.item(), dedupeKey) : Optional.empty(), code);
        }
        Kind kind = code == null || "None".equals(code) ? Kind.COLLATERAL
                : RETRY_LATER.contains(code) ? Kind.RETRY_LATER : Kind.REFUSED;
        return new Reason(kind, Optional.empty(), code);
    }

    @Override
    public Write put(Guard guard, String expectedOwner) {
        try {
            dynamo.putItem(r -> {
                r.tableName(table).item(item(guard))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                if (expectedOwner == null) {
                    r.conditionExpression(FREE);
                } else {
                    ownedBy(expectedOwner, r::conditionExpression, r::expressionAttributeNames,
                            r::expressionAttributeValues);
                }
            });
            return new Written();
        } catch (ConditionalCheckFailedException e) {
            if (e.hasItem() && e.item().containsKey(OWNER)) {
                return new Refused(guardOf(e.item(), guard.dedupeKey()));
            }
            var stored = dynamo.getItem(r -> r.tableName(table).key(keyOf(guard.dedupeKey())).consistentRead(true))
                    .item();
            return new Refused(stored == null ? Optional.empty() : guardOf(stored, guard.dedupeKey()));
        }
    }

    @Override
    public void deleteIfOwner(String dedupeKey, String owner) {
        try {
            dynamo.deleteItem(r -> {
                r.tableName(table).key(keyOf(dedupeKey));
                ownedBy(owner, r::conditionExpression, r::expressionAttributeNames, r::expressionAttributeValues);
            });
        } catch (ConditionalCheckFailedException e) {
            // someone else owns it by now: nothing of ours to release
        }
    }

    /** The condition "the guard names {@code owner}", set through a request builder's three setters. */
    private static void ownedBy(String owner, Consumer<String> condition,
                                Consumer<Map<String, String>> names,
                                Consumer<Map<String, AttributeValue>> values) {
        condition.accept("#o = :o");
        names.accept(Map.of("#o", OWNER));
        values.accept(Map.of(":o", AttributeValue.fromS(owner)));
    }

    static Map<String, AttributeValue> keyOf(String dedupeKey) {
        return ExportJobItem.key(PREFIX + Sha256.hex(dedupeKey));
    }

    private static Map<String, AttributeValue> item(Guard g) {
        Map<String, AttributeValue> item = new HashMap<>(keyOf(g.dedupeKey()));
        item.put(OWNER, AttributeValue.fromS(g.owner()));
        item.put(CLAIMED_AT, AttributeValue.fromN(Long.toString(g.claimedAt().toEpochMilli())));
        item.put(ExportJobItem.EXPIRES_AT, AttributeValue.fromN(Long.toString(
                g.claimedAt().plus(ExportJobRepository.RETENTION).getEpochSecond())));
        return item;
    }

    private static Optional<Guard> guardOf(Map<String, AttributeValue> item, String dedupeKey) {
        AttributeValue owner = item.get(OWNER);
        if (owner == null) {
            return Optional.empty();
        }
        AttributeValue at = item.get(CLAIMED_AT);
        return Optional.of(new Guard(dedupeKey, owner.s(),
                at == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(at.n()))));
    }
}
