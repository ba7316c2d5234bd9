package com.mlplatform.logexport.api.status;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The exports of one batch, through the {@code batchId-index} GSI (projection ALL, so no second read). */
public final class BatchExports {

    static final String BATCH_INDEX = "batchId-index";

    private final DynamoDbClient dynamo;
    private final String table;

    public BatchExports(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

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
