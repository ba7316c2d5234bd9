package com.mlplatform.logexport.api.exportstable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.mlplatform.logexport.api.accept.AcceptReplies.Item;
import com.mlplatform.logexport.api.accept.BatchRecord;
import com.mlplatform.logexport.api.accept.BatchRecords;
import com.mlplatform.logexport.api.fanout.BatchItemIds;
import com.mlplatform.logexport.api.fanout.BatchPlan;
import com.mlplatform.logexport.api.fanout.BatchPlans;
import com.mlplatform.logexport.api.fanout.FanoutProgress;
import com.mlplatform.logexport.api.fanout.FanoutState;
import com.mlplatform.logexport.api.fanout.PlanChunk;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.json.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link BatchRecords} and {@link BatchPlans} in the exports table.
 *
 * <ul>
 *   <li>The batch record: one item keyed {@code batch#<batchId>}. Its errors (and a legacy batch's joined ids) are
 *       one gzip-compressed JSON attribute ({@link Gzip}): 5,000 errors echo up to a 512 KiB body. Should even that
 *       not fit, the echoed ids are cut. Its fan-out progress is plain attributes; while the fan-out is PENDING it
 *       carries {@code activeShard = "fanout"} and {@code updatedAt}, so the sparse {@code active-index} lists it
 *       under a partition of its own that the reconciler (shards 00–15) never reads, and {@link
 *       com.mlplatform.logexport.api.fanout.FanoutSweep} finds it without a scan.</li>
 *   <li>The plan: one item per {@link BatchPlan#CHUNK_SIZE} ids, keyed {@code batchplan#<id prefix>#<chunk>}, so an
 *       item's export id leads to its chunk in one read ({@link BatchItemIds}). Its attributes are named
 *       {@code plan…}, so no GSI (batchId, requestedBy, dedupeKey, activeShard) ever sees it.</li>
 * </ul>
 * Neither carries a GSI key of the job queries; both expire with the batch's jobs (30 days).
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html">BatchWriteItem (25 puts, UnprocessedItems)</a>
 */
public record DynamoBatchRecords(DynamoDbClient dynamo, String table) implements BatchRecords, BatchPlans {

    static final String PREFIX = "batch#";
    static final String PLAN_PREFIX = "batchplan#";
    static final String USECASE_ID = "usecaseId";
    static final String CREATED_AT = "createdAt";
    static final String CONTENT = "batchContent";
    static final String FANOUT_STATE = "fanoutState";
    static final String FANOUT_ITEMS = "fanoutItems";
    static final String FANOUT_REDRIVES = "fanoutRedrives";
    /** The {@code active-index} partition of pending fan-outs; export shards are "00" to "15". */
    static final String FANOUT_SHARD = "fanout";
    static final int[] CUT_ID_CHARS = {100, 16};
    private static final int MAX_WRITE_ATTEMPTS = 8;

    static final String PLAN_BATCH = "planBatchId";
    static final String PLAN_USECASE = "planUsecaseId";
    static final String PLAN_REQUESTER = "planRequester";
    static final String PLAN_OPTIONS = "planOptions";
    static final String PLAN_CREATED_AT = "planCreatedAt";
    static final String PLAN_ITEMS = "planItems";

    /** The options of a plan as stored: wire names, so the item reads the same as a job's options. */
    record PlanOptions(String format, Long startTime, Long endTime, String compression) {

        static PlanOptions of(ExportOptions o) {
            return new PlanOptions(o.format().wireName(), o.startTime(), o.endTime(), o.compression().wireName());
        }

        ExportOptions options() {
            return new ExportOptions(ExportFormat.fromWire(format).orElseThrow(), startTime, endTime,
                    ExportCompression.fromWire(compression).orElseThrow());
        }
    }

    /** The compressed part of the record. */
    record Content(int requested, List<String> joined, List<Item> errors) {
    }

    @Override
    public void save(BatchRecord r, List<PlanChunk> plan) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        items.add(head(r));
        plan.forEach(c -> items.add(chunkItem(c)));
        List<WriteRequest> pending = items.stream()
                .map(i -> WriteRequest.builder().putRequest(p -> p.item(i)).build()).toList();
        // At most 1 + 5 items (5,000 ids): one call; DynamoDB may leave some unprocessed, sent again with backoff.
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_WRITE_ATTEMPTS) {
                throw SdkClientException.create("batch record still unprocessed after " + MAX_WRITE_ATTEMPTS
                        + " attempts");
            }
            if (attempt > 1) {
                sleep(Math.min(800, 25L << attempt));
            }
            List<WriteRequest> sending = pending;
            var response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, sending)));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of())
                    : List.of();
        }
    }

    @Override
    public Optional<BatchRecord> find(String batchId) {
        var item = dynamo.getItem(g -> g.tableName(table).key(key(batchId)).consistentRead(true)).item();
        if (item == null || !item.containsKey(CONTENT)) {
            return Optional.empty();
        }
        Content c = read(Gzip.decompress(item.get(CONTENT).b().asByteArray()), new TypeReference<>() { });
        return Optional.of(new BatchRecord(batchId, item.get(USECASE_ID).s(),
                Instant.parse(item.get(CREATED_AT).s()), c.requested(), c.joined(), c.errors(),
                progress(batchId, item).orElse(null)));
    }

    @Override
    public Optional<FanoutProgress> progress(String batchId) {
        var item = dynamo.getItem(g -> g.tableName(table).key(key(batchId)).consistentRead(true)).item();
        return item == null ? Optional.empty() : progress(batchId, item);
    }

    @Override
    public List<PlanChunk> chunks(String batchId, int items) {
        String prefix = BatchItemIds.prefix(batchId);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int no = 0; no < BatchPlan.chunkCount(items); no++) {
            keys.add(ExportJobItem.key(planKey(prefix, no)));
        }
        List<PlanChunk> out = new ArrayList<>();
        if (keys.isEmpty()) {
            return out;
        }
        Map<String, KeysAndAttributes> request = Map.of(table,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        // A few chunks of at most ~70 KB: far below BatchGetItem's 100 keys and 16 MB, but it may still leave keys
        // unprocessed; ask again for exactly those.
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> asked = request;
            var response = dynamo.batchGetItem(b -> b.requestItems(asked));
            response.responses().getOrDefault(table, List.of()).forEach(i -> out.add(chunk(i)));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        out.sort((a, b) -> Integer.compare(a.chunkNo(), b.chunkNo()));
        return out;
    }

    @Override
    public Optional<PlanChunk> chunk(BatchItemIds.Ref ref) {
        var item = dynamo.getItem(g -> g.tableName(table)
                .key(ExportJobItem.key(planKey(ref.prefix(), ref.index() / BatchPlan.CHUNK_SIZE)))
                .consistentRead(true)).item();
        return item == null || !item.containsKey(PLAN_ITEMS) ? Optional.empty() : Optional.of(chunk(item));
    }

    @Override
    public void touch(String batchId, Instant now) {
        updateIfPending(batchId, "SET #u = :now", Map.of(":now", AttributeValue.fromS(now.toString())));
    }

    @Override
    public void finish(String batchId, FanoutState state, Instant now) {
        updateIfPending(batchId, "SET #st = :state, #u = :now REMOVE #a", Map.of(
                ":state", AttributeValue.fromS(state.name()), ":now", AttributeValue.fromS(now.toString())));
    }

    @Override
    public void redriven(String batchId, Instant now) {
        updateIfPending(batchId, "SET #u = :now ADD #r :one", Map.of(":now", AttributeValue.fromS(now.toString()),
                ":one", AttributeValue.fromN("1")));
    }

    @Override
    public List<FanoutProgress> stale(Instant before) {
        List<String> batchIds = new ArrayList<>();
        dynamo.queryPaginator(q -> q.tableName(table).indexName(ExportJobItem.ACTIVE_INDEX)
                        .keyConditionExpression("#a = :shard AND #u < :before")
                        .expressionAttributeNames(Map.of("#a", ExportJobItem.ACTIVE_SHARD,
                                "#u", ExportJobItem.UPDATED_AT))
                        .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(FANOUT_SHARD),
                                ":before", AttributeValue.fromS(before.toString()))))
                .items().forEach(i -> batchIds.add(i.get(ExportJobItem.EXPORT_ID).s().substring(PREFIX.length())));
        List<FanoutProgress> out = new ArrayList<>();
        // The index projects neither the count nor the re-drives; the few stale batches are read whole.
        for (String id : batchIds) {
            progress(id).filter(p -> p.state() == FanoutState.PENDING).ifPresent(out::add);
        }
        return out;
    }

    private void updateIfPending(String batchId, String update, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":pending", AttributeValue.fromS(FanoutState.PENDING.name()));
        Map<String, String> names = new HashMap<>(Map.of("#st", FANOUT_STATE));
        if (update.contains("#u")) {
            names.put("#u", ExportJobItem.UPDATED_AT);
        }
        if (update.contains("#a")) {
            names.put("#a", ExportJobItem.ACTIVE_SHARD);
        }
        if (update.contains("#r")) {
            names.put("#r", FANOUT_REDRIVES);
        }
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(batchId)).updateExpression(update)
                    .conditionExpression("#st = :pending").expressionAttributeNames(names)
                    .expressionAttributeValues(all));
        } catch (ConditionalCheckFailedException e) {
            // Finished meanwhile (or no such batch): nothing is pending any more, which is what the caller wanted.
        }
    }

    private static Map<String, AttributeValue> head(BatchRecord r) {
        Content content = new Content(r.requested(), r.joined(), r.errors());
        byte[] bytes = Gzip.compress(Json.write(content));
        for (int i = 0; i < CUT_ID_CHARS.length && bytes.length > Gzip.MAX_STORED_BYTES; i++) {
            int chars = CUT_ID_CHARS[i];
            bytes = Gzip.compress(Json.write(new Content(r.requested(), r.joined(),
                    r.errors().stream().map(e -> cut(e, chars)).toList())));
        }
        Map<String, AttributeValue> item = new HashMap<>(key(r.batchId()));
        item.put(USECASE_ID, AttributeValue.fromS(r.usecaseId()));
        item.put(CREATED_AT, AttributeValue.fromS(r.createdAt().toString()));
        item.put(CONTENT, AttributeValue.fromB(SdkBytes.fromByteArray(bytes)));
        item.put(ExportJobItem.EXPIRES_AT, AttributeValue.fromN(expiresAt(r.createdAt())));
        FanoutProgress f = r.fanout();
        if (f != null) {
            item.put(FANOUT_STATE, AttributeValue.fromS(f.state().name()));
            item.put(FANOUT_ITEMS, AttributeValue.fromN(Integer.toString(f.items())));
            item.put(FANOUT_REDRIVES, AttributeValue.fromN(Integer.toString(f.redrives())));
            item.put(ExportJobItem.UPDATED_AT, AttributeValue.fromS(f.updatedAt().toString()));
            if (f.state() == FanoutState.PENDING) {
                item.put(ExportJobItem.ACTIVE_SHARD, AttributeValue.fromS(FANOUT_SHARD));
            }
        }
        return item;
    }

    private static Optional<FanoutProgress> progress(String batchId, Map<String, AttributeValue> item) {
        if (!item.containsKey(FANOUT_STATE)) {
            return Optional.empty();
        }
        return Optional.of(new FanoutProgress(batchId, FanoutState.valueOf(item.get(FANOUT_STATE).s()),
                Integer.parseInt(item.get(FANOUT_ITEMS).n()), Instant.parse(item.get(ExportJobItem.UPDATED_AT).s()),
                Integer.parseInt(item.get(FANOUT_REDRIVES).n())));
    }

    private static Map<String, AttributeValue> chunkItem(PlanChunk c) {
        Map<String, AttributeValue> item = new HashMap<>(ExportJobItem.key(
                planKey(BatchItemIds.prefix(c.batchId()), c.chunkNo())));
        item.put(PLAN_BATCH, AttributeValue.fromS(c.batchId()));
        item.put(PLAN_USECASE, AttributeValue.fromS(c.usecaseId()));
        item.put(PLAN_REQUESTER, AttributeValue.fromS(c.requestedBy()));
        item.put(PLAN_OPTIONS, AttributeValue.fromS(Json.write(PlanOptions.of(c.options()))));
        item.put(PLAN_CREATED_AT, AttributeValue.fromS(c.createdAt().toString()));
        item.put(PLAN_ITEMS, AttributeValue.fromB(SdkBytes.fromByteArray(Gzip.compress(Json.write(c.trainingIds())))));
        item.put(ExportJobItem.EXPIRES_AT, AttributeValue.fromN(expiresAt(c.createdAt())));
        return item;
    }

    private static PlanChunk chunk(Map<String, AttributeValue> item) {
        String key = item.get(ExportJobItem.EXPORT_ID).s();
        int no = Integer.parseInt(key.substring(key.lastIndexOf('#') + 1));
        List<String> ids = read(Gzip.decompress(item.get(PLAN_ITEMS).b().asByteArray()), new TypeReference<>() { });
        return new PlanChunk(item.get(PLAN_BATCH).s(), item.get(PLAN_USECASE).s(), item.get(PLAN_REQUESTER).s(),
                read(item.get(PLAN_OPTIONS).s(), new TypeReference<PlanOptions>() { }).options(),
                Instant.parse(item.get(PLAN_CREATED_AT).s()), no, ids);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String expiresAt(Instant createdAt) {
        return Long.toString(createdAt.plus(ExportJobRepository.RETENTION).getEpochSecond());
    }

    private static Item cut(Item i, int chars) {
        String id = i.trainingId();
        return id == null || id.length() <= chars ? i
                : new Item(id.substring(0, chars) + "...", i.exportId(), i.status(), i.error());
    }

    private static Map<String, AttributeValue> key(String batchId) {
        return ExportJobItem.key(PREFIX + batchId);
    }

    private static String planKey(String prefix, int chunkNo) {
        return PLAN_PREFIX + prefix + "#" + chunkNo;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while writing a batch record", e);
        }
    }
}
