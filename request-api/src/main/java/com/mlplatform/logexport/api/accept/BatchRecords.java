package com.mlplatform.logexport.api.accept;

import java.util.Optional;

/** Where {@link BatchRecord}s are kept ({@code exportstable.DynamoBatchRecords} in production). */
public interface BatchRecords {

    void save(BatchRecord record);

    Optional<BatchRecord> find(String batchId);
}
