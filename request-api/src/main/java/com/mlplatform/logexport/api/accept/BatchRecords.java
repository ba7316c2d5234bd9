package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.api.fanout.PlanChunk;
import java.util.List;
import java.util.Optional;

/** Where {@link BatchRecord}s are kept ({@code exportstable.DynamoBatchRecords} in production). */
public interface BatchRecords {

    /** Stores the record and its plan's chunks together: a bounded number of calls whatever the batch size. */
    void save(BatchRecord record, List<PlanChunk> plan);

    Optional<BatchRecord> find(String batchId);
}
