package com.mlplatform.logexport.worker.job;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The exports table in memory, with DynamoDB's conditional-write rule, and one fault a real table shows: a write
 * that commits but whose response is lost, so the SDK sends it again and the repeat fails the condition the first
 * attempt already satisfied.
 */
final class InMemoryJobRecords implements JobRecords {

    private final Map<String, ExportJobRepository.Stored> rows = new HashMap<>();
    private int responsesToLose;

    void put(ExportJob job) {
        rows.put(job.exportId(), new ExportJobRepository.Stored(job, null));
    }

    /** The next {@code n} writes commit, then report ConditionalCheckFailed (their SDK retry's answer). */
    void loseResponses(int n) {
        responsesToLose = n;
    }

    ExportJob stored(String exportId) {
        return rows.get(exportId).job();
    }

    @Override
    public Optional<ExportJobRepository.Stored> find(String exportId) {
        return Optional.ofNullable(rows.get(exportId));
    }

    @Override
    public Optional<ExportJob> replace(ExportJob current, ExportJob updated, String writeToken) {
        if (!conditionHolds(current)) {
            return Optional.empty();
        }
        ExportJob stored = new ExportJob(updated.exportId(), updated.usecaseId(), updated.trainingId(),
                updated.requestedBy(), updated.options(), updated.status(), updated.createdAt(), updated.updatedAt(),
                updated.batchId(), updated.progress(), updated.error(), updated.result(), updated.checkpoint(),
                current.version() + 1);
        rows.put(stored.exportId(), new ExportJobRepository.Stored(stored, writeToken));
        if (responsesToLose > 0) {
            responsesToLose--;
            // The SDK's retry of the same request: the first attempt's commit makes its condition fail.
            return conditionHolds(current) ? Optional.of(stored) : Optional.empty();
        }
        return Optional.of(stored);
    }

    @Override
    public boolean finishIfActive(String exportId, ExportStatus target, JobError error, Instant now) {
        ExportJobRepository.Stored row = rows.get(exportId);
        if (row == null || row.job().status().isFinished()) {
            return false;
        }
        ExportJob j = row.job();
        rows.put(exportId, new ExportJobRepository.Stored(new ExportJob(j.exportId(), j.usecaseId(), j.trainingId(),
                j.requestedBy(), j.options(), target, j.createdAt(), now, j.batchId(), j.progress(),
                error == null ? j.error() : error, j.result(), j.checkpoint(), j.version() + 1), null));
        return true;
    }

    private boolean conditionHolds(ExportJob current) {
        ExportJobRepository.Stored row = rows.get(current.exportId());
        return row != null && row.job().version() == current.version() && row.job().status() == current.status();
    }
}
