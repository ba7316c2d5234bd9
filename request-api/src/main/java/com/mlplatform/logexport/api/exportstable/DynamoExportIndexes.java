package com.mlplatform.logexport.api.exportstable;

import com.mlplatform.logexport.api.accept.ActiveExports;
import com.mlplatform.logexport.api.download.RecentExports;
import com.mlplatform.logexport.api.status.BatchExports;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The request API's queries on the exports table's GSIs: {@code user-index} for the cap, {@code dedupe-index} for
 * the legacy download, {@code batchId-index} for a batch's status; and the batch reads of a batch's joined exports. The indexes project ALL, so no second read;
 * guard and idempotency items carry none of their key attributes, so they never show up here. GSI reads are
 * eventually consistent.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reading">Reading data from a GSI</a>
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html">BatchGetItem (100 keys, UnprocessedKeys)</a>
 */
public record DynamoExportIndexes(DynamoDbClient dynamo, String table)
        implements ActiveExports, RecentExports, BatchExports {

    static final String USER_INDEX = "user-index";
    static final String DEDUPE_INDEX = "dedupe-index";
    static final String BATCH_INDEX = "batchId-index";
    /** DynamoDB's limit of keys in one BatchGetItem call. */
    static final int MAX_BATCH_GET = 100;

    @Override
    public long count(String userId, Instant now, Instant writtenSince, long enough) {
        // updatedAt is ISO-8601 text: compared as strings it orders to the second, as the bound needs.
        var pages = dynamo.queryPaginator(r -> r.tableName(table).indexName(USER_INDEX)
                .keyConditionExpression("#u = :u AND #c >= :since")
                .filterExpression("#s IN (:queued, :running) AND #w > :written")
                .expressionAttributeNames(Map.of("#u", ExportJobItem.REQUESTED_BY, "#c", ExportJobItem.CREATED_AT,
                        "#s", ExportJobItem.STATUS, "#w", ExportJobItem.UPDATED_AT))
                .expressionAttributeValues(Map.of(
                        ":u", AttributeValue.fromS(ExportJobItem.userKey(userId)),
                        ":since", AttributeValue.fromS(now.minus(LOOKBACK).toString()),
                        ":written", AttributeValue.fromS(writtenSince.toString()),
                        ":queued", AttributeValue.fromS(ExportStatus.QUEUED.name()),
                        ":running", AttributeValue.fromS(ExportStatus.RUNNING.name())))
                .select(Select.COUNT));
        long total = 0;
        for (var page : pages) {
            total += page.count();
            if (total >= enough) {
                break;
            }
        }
        return total;
    }

    @Override
    public Optional<ExportJob> latestSucceeded(String userId, String usecaseId, String trainingId, Instant since) {
        String key = ExportJobItem.dedupeKey(userId, usecaseId, trainingId, ExportOptions.DEFAULT);
        var items = dynamo.queryPaginator(r -> r.tableName(table).indexName(DEDUPE_INDEX)
                .keyConditionExpression("#k = :k AND #c >= :since")
                .filterExpression("#s = :succeeded")
                .expressionAttributeNames(Map.of("#k", ExportJobItem.DEDUPE_KEY, "#c", ExportJobItem.CREATED_AT,
                        "#s", ExportJobItem.STATUS))
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(key),
                        ":since", AttributeValue.fromS(since.toString()),
                        ":succeeded", AttributeValue.fromS(ExportStatus.SUCCEEDED.name())))
                .scanIndexForward(false)).items();
        for (var item : items) {
            ExportJob job = ExportJobItem.fromItem(item);
            if (job.result() != null) {
                return Optional.of(job);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<ExportJob> byIds(Collection<String> exportIds) {
        List<ExportJob> out = new ArrayList<>();
        List<String> ids = List.copyOf(exportIds);
        for (int from = 0; from < ids.size(); from += MAX_BATCH_GET) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + MAX_BATCH_GET))
                    .stream().map(ExportJobItem::key).toList();
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            // DynamoDB may return part of the keys unprocessed (size or throughput); ask again for exactly those.
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                var response = dynamo.batchGetItem(r -> r.requestItems(asked));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> out.add(ExportJobItem.fromItem(item)));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return out;
    }

    @Override
    public List<ExportJob> find(String batchId) {
        List<ExportJob> out = new ArrayList<>();
        dynamo.queryPaginator(r -> r.tableName(table).indexName(BATCH_INDEX)
                        .keyConditionExpression("#b = :b")
                        .expressionAttributeNames(Map.of("#b", ExportJobItem.BATCH_ID))
                        .expressionAttributeValues(Map.of(":b", AttributeValue.fromS(batchId))))
                .items().forEach(item -> out.add(ExportJobItem.fromItem(item)));
        return out;
    }
}
