package com.mlplatform.logexport.api.accept;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The bulk claim's handling of TransactWriteItems: a transaction fails as a whole, so the CancellationReasons
 * decide which guards are held by someone else (joined), which were cancelled only because of them (sent again)
 * and which conflicted (sent again with backoff). Runs against an in-memory table that behaves like DynamoDB's
 * transactions, because moto never reports conflicts or throttling.
 */
class InflightGuardsTest {

    private static final String TABLE = "exports";
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final Backoff backoff = new Backoff(Duration.ofMillis(25), Duration.ofMillis(800), 8, sleeps::add);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Items by exportId (the table's key); transactions all-or-nothing with DynamoDB's cancellation reasons. */
    static class TransactionalTable implements DynamoDbClient {
        final Map<String, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();
        final List<Integer> transactionSizes = Collections.synchronizedList(new ArrayList<>());
        final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
        /** Conflicts to report, per key, before a transaction touching it may go through. */
        final Map<String, AtomicInteger> conflicts = new ConcurrentHashMap<>();
        volatile RuntimeException failWith;

        @Override
        public synchronized TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            List<TransactWriteItem> tx = request.transactItems();
            assertThat(tx.size()).as("TransactWriteItems takes at most 100 actions").isBetween(1, 100);
            transactionSizes.add(tx.size());
            if (failWith != null) {
                throw failWith;
            }
            List<CancellationReason> reasons = new ArrayList<>();
            boolean cancelled = false;
            for (TransactWriteItem t : tx) {
                assertThat(t.put().conditionExpression()).isEqualTo("attribute_not_exists(exportId)");
                assertThat(t.put().returnValuesOnConditionCheckFailure())
                        .isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                String key = t.put().item().get("exportId").s();
                AtomicInteger conflict = conflicts.get(key);
                if (items.containsKey(key)) {
                    reasons.add(CancellationReason.builder().code("ConditionalCheckFailed").item(items.get(key))
                            .build());
                    cancelled = true;
                } else if (conflict != null && conflict.getAndDecrement() > 0) {
                    reasons.add(CancellationReason.builder().code("TransactionConflict").build());
                    cancelled = true;
                } else {
                    reasons.add(CancellationReason.builder().code("None").build());
                }
            }
            if (cancelled) {
                throw TransactionCanceledException.builder().message("Transaction cancelled")
                        .cancellationReasons(reasons).build();
            }
            tx.forEach(t -> items.put(t.put().item().get("exportId").s(), t.put().item()));
            return TransactWriteItemsResponse.builder().build();
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            var item = items.get(request.key().get("exportId").s());
            return GetItemResponse.builder().item(item).build();
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            deleted.add(request.key().get("exportId").s());
            return DeleteItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static List<InflightGuards.Request> requests(int n) {
        return IntStream.range(0, n).mapToObj(i -> new InflightGuards.Request("user|uc|train-" + i + "|text",
                "exp-" + i)).toList();
    }

    private static String guardKey(InflightGuards.Request r) {
        return InflightGuards.PREFIX + Sha256.hex(r.dedupeKey());
    }

    /** A guard held by an export that is about to be written (claimed just now, job not there yet). */
    private static Map<String, AttributeValue> pendingGuard(String key, String owner) {
        Map<String, AttributeValue> guard = new HashMap<>();
        guard.put("exportId", AttributeValue.fromS(key));
        guard.put(InflightGuards.OWNER, AttributeValue.fromS(owner));
        guard.put(InflightGuards.CLAIMED_AT, AttributeValue.fromN(Long.toString(NOW.toEpochMilli())));
        return guard;
    }

    @Test
    void heldGuards_areJoined_andTheRestOfTheirTransactionIsSentAgain() {
        TransactionalTable table = new TransactionalTable();
        List<InflightGuards.Request> requests = requests(250);
        for (int i : List.of(3, 150, 249)) {
            String key = guardKey(requests.get(i));
            table.items.put(key, pendingGuard(key, "held-" + i));
        }
        var guards = new InflightGuards(new ExportJobRepository(table, TABLE), backoff);

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, pool);

        assertThat(claims).hasSize(250);
        for (int i = 0; i < 250; i++) {
            if (List.of(3, 150, 249).contains(i)) {
                assertThat(claims.get(i)).isEqualTo(new InflightGuards.Joined("held-" + i, ExportStatus.QUEUED));
            } else {
                assertThat(claims.get(i)).isEqualTo(new InflightGuards.Claimed("exp-" + i));
                assertThat(table.items.get(guardKey(requests.get(i))).get(InflightGuards.OWNER).s())
                        .isEqualTo("exp-" + i);
            }
        }
        // 3 chunks (100, 100, 50), each cancelled once by its held guard and sent again without it.
        assertThat(table.transactionSizes).containsExactlyInAnyOrder(100, 99, 100, 99, 50, 49);
        assertThat(sleeps).as("a condition failure needs no backoff").isEmpty();
    }

    @Test
    void conflictingItems_areSentAgainWithBackoff() {
        TransactionalTable table = new TransactionalTable();
        List<InflightGuards.Request> requests = requests(10);
        table.conflicts.put(guardKey(requests.get(4)), new AtomicInteger(2));
        var guards = new InflightGuards(new ExportJobRepository(table, TABLE), backoff);

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, pool);

        assertThat(claims).allMatch(c -> c instanceof InflightGuards.Claimed);
        assertThat(table.items).hasSize(10);
        assertThat(table.transactionSizes).containsExactly(10, 10, 10);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void aConflictThatNeverClears_failsOnlyAfterTheBackoffBudget() {
        TransactionalTable table = new TransactionalTable();
        List<InflightGuards.Request> requests = requests(5);
        table.conflicts.put(guardKey(requests.get(0)), new AtomicInteger(1_000));
        var guards = new InflightGuards(new ExportJobRepository(table, TABLE), backoff);

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, pool);

        assertThat(claims).allMatch(c -> c instanceof InflightGuards.Failed);
        assertThat(table.transactionSizes).hasSize(backoff.maxAttempts());
        assertThat(table.items).isEmpty();
    }

    @Test
    void aTransactionWithAnUnknownOutcome_failsItsItemsAndReleasesTheirGuards() {
        TransactionalTable table = new TransactionalTable();
        table.failWith = SdkClientException.create("connection reset");
        List<InflightGuards.Request> requests = requests(3);
        var guards = new InflightGuards(new ExportJobRepository(table, TABLE), backoff);

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, pool);

        assertThat(claims).containsExactly(new InflightGuards.Failed("exp-0"), new InflightGuards.Failed("exp-1"),
                new InflightGuards.Failed("exp-2"));
        assertThat(table.deleted).containsExactlyInAnyOrderElementsOf(
                requests.stream().map(InflightGuardsTest::guardKey).toList());
    }
}
