package com.mlplatform.logexport.api.exportstable;

import com.mlplatform.logexport.api.accept.AcceptReplies.Item;
import com.mlplatform.logexport.api.accept.BatchRecord;
import com.mlplatform.logexport.api.accept.BatchRecords;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link BatchRecords} in the exports table: one item per batch, keyed {@code batch#<batchId>}, with no GSI key
 * attribute (no index or job query sees it), expiring through the table's TTL with the batch's jobs. The joined
 * export ids and per-item errors are one gzip-compressed JSON attribute ({@link Gzip}): 1,000 errors echo up to
 * 256 KiB of ids. Should even that not fit, the echoed ids of the errors are cut to {@value #CUT_ID_CHARS}
 * characters, which bounds the record far below the item limit.
 */
public record DynamoBatchRecords(DynamoDbClient dynamo, String table) implements BatchRecords {

    static final String PREFIX = "batch#";
    static final String USECASE_ID = "usecaseId";
    static final String CREATED_AT = "createdAt";
    static final String CONTENT = "batchContent";
    static final int CUT_ID_CHARS = 100;

    /** The compressed part of the record. */
    record Content(int requested, List<String> joined, List<Item> errors) {
    }

    @Override
    public void save(BatchRecord r) {
        byte[] content = Gzip.compress(Json.write(new Content(r.requested(), r.joined(), r.errors())));
        if (content.length > Gzip.MAX_STORED_BYTES) {
            List<Item> cut = r.errors().stream().map(DynamoBatchRecords::cut).toList();
            content = Gzip.compress(Json.write(new Content(r.requested(), r.joined(), cut)));
        }
        Map<String, AttributeValue> item = new HashMap<>(key(r.batchId()));
        item.put(USECASE_ID, AttributeValue.fromS(r.usecaseId()));
        item.put(CREATED_AT, AttributeValue.fromS(r.createdAt().toString()));
        item.put(CONTENT, AttributeValue.fromB(SdkBytes.fromByteArray(content)));
        item.put(ExportJobItem.EXPIRES_AT, AttributeValue.fromN(Long.toString(
                r.createdAt().plus(ExportJobRepository.RETENTION).getEpochSecond())));
        dynamo.putItem(p -> p.tableName(table).item(item));
    }

    @Override
    public Optional<BatchRecord> find(String batchId) {
        var item = dynamo.getItem(g -> g.tableName(table).key(key(batchId)).consistentRead(true)).item();
        if (item == null || !item.containsKey(CONTENT)) {
            return Optional.empty();
        }
        Content c;
        try {
            c = Json.MAPPER.readValue(Gzip.decompress(item.get(CONTENT).b().asByteArray()), Content.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(new BatchRecord(batchId, item.get(USECASE_ID).s(),
                Instant.parse(item.get(CREATED_AT).s()), c.requested(), c.joined(), c.errors()));
    }

    private static Item cut(Item i) {
        String id = i.trainingId();
        return id == null || id.length() <= CUT_ID_CHARS ? i
                : new Item(id.substring(0, CUT_ID_CHARS) + "...", i.exportId(), i.status(), i.error());
    }

    private static Map<String, AttributeValue> key(String batchId) {
        return ExportJobItem.key(PREFIX + batchId);
    }
}
