package com.mlplatform.logexport.shared.archive;

import com.mlplatform.logexport.shared.hash.Base32;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A batch's archive is a job in the exports table whose id is derived from the batch's: {@code arc-} and the batch
 * id's 26 characters. One id per batch is what makes a second request for the archive find the first one (a
 * conditional put on that key), and lets the worker and the reconciler tell an archive job from an export job.
 */
public final class ArchiveIds {

    public static final String PREFIX = "arc-";
    public static final Pattern ARCHIVE_ID = Pattern.compile("^" + PREFIX + Base32.CHARACTER_CLASS + "{26}$");

    private ArchiveIds() {
    }

    public static String archiveIdOf(String batchId) {
        if (!ExportIds.BATCH_ID.matcher(batchId).matches()) {
            throw new IllegalArgumentException("not a batch id: " + batchId);
        }
        return PREFIX + batchId.substring("bat-".length());
    }

    public static boolean isArchive(String jobId) {
        return jobId != null && ARCHIVE_ID.matcher(jobId).matches();
    }

    /**
     * The archive job as the API creates it: QUEUED, default options, its batch in {@code trainingId} (an archive
     * has no training; the field is what names the job's subject in the table), in no batch itself so that the
     * batch-id index never lists it among the batch's exports.
     */
    public static ExportJob queuedJob(String batchId, String usecaseId, String requestedBy, Instant now) {
        return ExportJob.queued(archiveIdOf(batchId), usecaseId, batchId, requestedBy, ExportOptions.DEFAULT, null,
                now);
    }

    /** The name the archive is downloaded as: ASCII only, since use-case and batch ids are. */
    public static String filename(String usecaseId, String batchId) {
        return usecaseId + "-batch-" + batchId + ".zip";
    }
}
