package com.mlplatform.logexport.worker.archive;

import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import java.util.Optional;

/** The member snapshots the API wrote with each archive request ({@link DynamoMemberSnapshots} in production). */
public interface MemberSnapshots {

    Optional<ArchiveMembers> find(String batchId);
}
