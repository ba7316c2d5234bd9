package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.batch.Chunks;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Writes many job records with BatchWriteItem, 25 per call, the calls in parallel. DynamoDB may accept a call yet
 * leave some items unprocessed (throttling, partition limits): those, and only those, are sent again with
 * backoff, as the BatchWriteItem reference asks.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html">BatchWriteItem</a>
 */
public final class JobBatchWriter {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final JobTableWrites table;
    private final ExecutorService pool;
    private final RetryLoop retry;

    public JobBatchWriter(JobTableWrites table, ExecutorService pool, RetryLoop retry) {
        this.table = table;
        this.pool = pool;
        this.retry = retry;
    }

    /** Writes all jobs; returns the ids that are not known to be written after every retry. */
    public Set<String> writeAll(List<ExportJob> jobs) {
        Set<String> failed = new HashSet<>();
        Chunks.inParallel(pool, jobs, JobTableWrites.MAX_BATCH, this::writeChunk).forEach(failed::addAll);
        return failed;
    }

    private Set<String> writeChunk(List<ExportJob> chunk) {
        Set<String> failed = new HashSet<>();
        List<ExportJob> unwritten = retry.untilDone(chunk, pending -> {
            Set<String> unprocessed;
            try {
                unprocessed = table.putBatch(pending);
            } catch (SdkException e) {
                // The SDK has already retried this call; whether it reached the table is unknown, so the caller
                // treats every item of it as failed and cleans up conditionally.
                LOG.warn("batch_write_failed", "items", pending.size(), "exception", e.getClass().getSimpleName());
                pending.forEach(j -> failed.add(j.exportId()));
                return List.of();
            }
            return pending.stream().filter(j -> unprocessed.contains(j.exportId())).toList();
        });
        if (!unwritten.isEmpty()) {
            LOG.warn("batch_write_unprocessed", "items", unwritten.size(), "maxAttempts",
                    retry.backoff().maxAttempts());
            unwritten.forEach(j -> failed.add(j.exportId()));
        }
        return failed;
    }
}
