package com.mlplatform.logexport.api.download;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The caller's newest SUCCEEDED export of a training (default options) created since a point in time, through the
 * {@code dedupe-index} GSI: the legacy download route serves that file instead of exporting again.
 */
public final class RecentExports {

    static final String DEDUPE_INDEX = "dedupe-index";

    private final DynamoDbClient dynamo;
    private final String table;

    public RecentExports(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

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
}
