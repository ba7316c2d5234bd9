package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The exports table's sparse {@code active-index}: one Query per shard (see {@link ExportJobItem#ACTIVE_SHARD}),
 * reading the few projected attributes of every active export. All of them, not only the ones without a recent
 * write, because an export past its maximum age is failed even while it is still writing.
 */
public final class DynamoActiveExports implements ActiveExports {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoActiveExports(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<Entry> all() {
        List<Entry> entries = new ArrayList<>();
        for (String shard : ExportJobItem.activeShards()) {
            dynamo.queryPaginator(r -> r.tableName(table).indexName(ExportJobItem.ACTIVE_INDEX)
                            .keyConditionExpression("#a = :a")
                            .expressionAttributeNames(Map.of("#a", ExportJobItem.ACTIVE_SHARD))
                            .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(shard))))
                    .items().forEach(item -> entries.add(entry(item)));
        }
        return entries;
    }

    private static Entry entry(Map<String, AttributeValue> item) {
        return new Entry(item.get(ExportJobItem.EXPORT_ID).s(),
                ExportStatus.valueOf(item.get(ExportJobItem.STATUS).s()),
                Instant.parse(item.get(ExportJobItem.CREATED_AT).s()),
                Instant.parse(item.get(ExportJobItem.UPDATED_AT).s()));
    }
}
