package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.job.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Up to {@link BatchPlan#CHUNK_SIZE} consecutive items of a batch plan, stored as one item of the exports table:
 * everything needed to create their jobs, or to show one of them before its job exists.
 *
 * @param chunkNo the chunk's place in the plan; its first item has index {@code chunkNo * CHUNK_SIZE}
 */
public record PlanChunk(String batchId, String usecaseId, String requestedBy, ExportOptions options,
                        Instant createdAt, int chunkNo, List<String> trainingIds) {

    /** What an item whose job was never created shows once its batch's fan-out was given up. */
    static final JobError NOT_STARTED = new JobError(ErrorCode.UNAVAILABLE,
            "The batch could not start this export. Please start it again.", null);

    public PlanChunk {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(usecaseId, "usecaseId");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(createdAt, "createdAt");
        trainingIds = List.copyOf(trainingIds);
    }

    public int firstIndex() {
        return chunkNo * BatchPlan.CHUNK_SIZE;
    }

    /** The QUEUED job of every item, as the fan-out creates them. */
    public List<ExportJob> queuedJobs() {
        List<ExportJob> jobs = new ArrayList<>(trainingIds.size());
        for (int i = 0; i < trainingIds.size(); i++) {
            jobs.add(job(firstIndex() + i, ExportStatus.QUEUED));
        }
        return jobs;
    }

    /**
     * The item with this batch index as it shows while its job does not exist: QUEUED while the fan-out is still
     * to run, FAILED once it was given up. Empty when the index is not in this chunk.
     */
    public Optional<ExportJob> placeholder(int index, FanoutState state) {
        int at = index - firstIndex();
        if (at < 0 || at >= trainingIds.size()) {
            return Optional.empty();
        }
        return Optional.of(job(index, state == FanoutState.FAILED ? ExportStatus.FAILED : ExportStatus.QUEUED));
    }

    private ExportJob job(int index, ExportStatus status) {
        JobError error = status == ExportStatus.FAILED ? NOT_STARTED : null;
        return new ExportJob(BatchItemIds.exportId(batchId, index), usecaseId, trainingIds.get(index - firstIndex()),
                requestedBy, options, status, createdAt, createdAt, batchId, Progress.NONE, error, null, null, 0);
    }
}
