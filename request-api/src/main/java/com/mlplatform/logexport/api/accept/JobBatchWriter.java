package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Writes many job records with BatchWriteItem, 25 per call, the calls in parallel. DynamoDB may accept a call yet
 * leave some items unprocessed (throttling, partition limits): those, and only those, are sent again with
 * backoff, as the BatchWriteItem reference asks.
 */
public final class JobBatchWriter {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final JobTableWrites table;
    private final ExecutorService pool;
    private final Backoff backoff;

    public JobBatchWriter(JobTableWrites table, ExecutorService pool, Backoff backoff) {
        this.table = table;
        this.pool = pool;
        this.backoff = backoff;
    }

    /** Writes all jobs; returns the ids that are not known to be written after every retry. */
    public Set<String> writeAll(List<ExportJob> jobs) {
        Set<String> failed = new HashSet<>();
        Parallel.map(pool, Parallel.chunks(jobs, JobTableWrites.MAX_BATCH), this::writeChunk).forEach(failed::addAll);
        return failed;
    }

    private Set<String> writeChunk(List<ExportJob> chunk) {
        List<ExportJob> pending = chunk;
        for (int attempt = 1; ; attempt++) {
            Set<String> unprocessed;
            try {
                unprocessed = table.putBatch(pending);
            } catch (SdkException e) {
                // The SDK has already retried this call; whether it reached the table is unknown, so the caller
                // treats every item of it as failed and cleans up conditionally.
                LOG.warn("batch_write_failed", "items", pending.size(), "exception", e.getClass().getSimpleName());
                return ids(pending);
            }
            if (unprocessed.isEmpty()) {
                return Set.of();
            }
            List<ExportJob> retry = new ArrayList<>();
            for (ExportJob job : pending) {
                if (unprocessed.contains(job.exportId())) {
                    retry.add(job);
                }
            }
            if (attempt >= backoff.maxAttempts() || !backoff.pause(attempt)) {
                LOG.warn("batch_write_unprocessed", "items", retry.size(), "attempts", attempt);
                return ids(retry);
            }
            pending = retry;
        }
    }

    private static Set<String> ids(List<ExportJob> jobs) {
        Set<String> ids = new HashSet<>();
        jobs.forEach(j -> ids.add(j.exportId()));
        return ids;
    }
}
