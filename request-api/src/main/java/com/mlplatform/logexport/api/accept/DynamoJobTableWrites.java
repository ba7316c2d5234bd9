package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** {@link JobTableWrites} on DynamoDB, with the shared item mapping. */
public final class DynamoJobTableWrites implements JobTableWrites {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoJobTableWrites(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Set<String> putBatch(List<ExportJob> jobs) {
        List<WriteRequest> puts = jobs.stream()
                .map(j -> WriteRequest.builder().putRequest(p -> p.item(
                        ExportJobItem.toItem(j, j.createdAt().plus(ExportJobRepository.RETENTION)))).build())
                .toList();
        var response = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, puts)));
        Set<String> unprocessed = new HashSet<>();
        if (response.hasUnprocessedItems()) {
            response.unprocessedItems().getOrDefault(table, List.of()).forEach(w ->
                    unprocessed.add(w.putRequest().item().get(ExportJobItem.EXPORT_ID).s()));
        }
        return unprocessed;
    }
}
