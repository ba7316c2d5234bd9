package com.mlplatform.logexport.api.exportstable;

import com.mlplatform.logexport.api.accept.JobTableWrites;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link JobTableWrites} on DynamoDB, with the shared item mapping.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html">BatchWriteItem (UnprocessedItems)</a>
 */
public record DynamoJobTableWrites(DynamoDbClient dynamo, String table) implements JobTableWrites {

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
