package com.mlplatform.logexport.worker.archive;

import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@link MemberSnapshots} in the exports table: one strongly consistent GetItem of {@code archive#<batchId>}. */
public record DynamoMemberSnapshots(DynamoDbClient dynamo, String table) implements MemberSnapshots {

    @Override
    public Optional<ArchiveMembers> find(String batchId) {
        return ArchiveMembers.fromItem(dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(ArchiveMembers.key(batchId))).item());
    }
}
