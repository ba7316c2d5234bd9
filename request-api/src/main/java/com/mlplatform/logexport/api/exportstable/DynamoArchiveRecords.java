package com.mlplatform.logexport.api.exportstable;

import com.mlplatform.logexport.api.archive.ArchiveRecords;
import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link ArchiveRecords} in the exports table: one TransactWriteItems of two puts, the snapshot
 * ({@code archive#<batchId>}) and the archive job ({@code arc-…}), the job's conditioned on no job or a FAILED one.
 * Both or neither: a worker never finds a job without its snapshot, and two racing requests create one job.
 * DynamoDB authorises each put of a transaction as {@code dynamodb:PutItem}, which the API already holds.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html">IAM and DynamoDB transactions</a>
 */
public record DynamoArchiveRecords(DynamoDbClient dynamo, String table) implements ArchiveRecords {

    @Override
    public boolean create(ArchiveMembers snapshot, ExportJob job) {
        var expires = job.createdAt().plus(ExportJobRepository.RETENTION);
        Map<String, AttributeValue> members = snapshot.toItem(expires).orElseThrow(() ->
                new IllegalArgumentException("member snapshot too large for one item"));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    i -> i.put(p -> p.tableName(table).item(members)),
                    i -> i.put(p -> p.tableName(table).item(ExportJobItem.toItem(job, expires))
                            .conditionExpression("attribute_not_exists(#id) OR #s = :failed")
                            .expressionAttributeNames(Map.of("#id", ExportJobItem.EXPORT_ID,
                                    "#s", ExportJobItem.STATUS))
                            .expressionAttributeValues(Map.of(":failed",
                                    AttributeValue.fromS(ExportStatus.FAILED.name()))))));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }
}
