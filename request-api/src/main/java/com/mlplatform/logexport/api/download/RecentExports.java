package com.mlplatform.logexport.api.download;

import com.mlplatform.logexport.shared.job.ExportJob;
import java.time.Instant;
import java.util.Optional;

/**
 * The caller's newest SUCCEEDED export of a training (default options) created since a point in time: the legacy
 * download route serves that file instead of exporting again ({@code exportstable.DynamoExportIndexes} in
 * production).
 */
@FunctionalInterface
public interface RecentExports {

    Optional<ExportJob> latestSucceeded(String userId, String usecaseId, String trainingId, Instant since);
}
