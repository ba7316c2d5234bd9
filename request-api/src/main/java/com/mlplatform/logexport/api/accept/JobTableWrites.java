package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.job.ExportJob;
import java.util.List;
import java.util.Set;

/**
 * One DynamoDB BatchWriteItem call on the exports table, behind the smallest interface a test can implement:
 * moto never returns UnprocessedItems, so the retry path is tested against an in-process fake of this.
 */
@FunctionalInterface
public interface JobTableWrites {

    /** DynamoDB's limit of put requests in one BatchWriteItem call. */
    int MAX_BATCH = 25;

    /** Puts up to {@link #MAX_BATCH} jobs; returns the ids of the jobs DynamoDB left unprocessed. */
    Set<String> putBatch(List<ExportJob> jobs);
}
