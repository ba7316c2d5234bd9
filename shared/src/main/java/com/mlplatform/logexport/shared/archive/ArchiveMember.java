package com.mlplatform.logexport.shared.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import java.util.Objects;

/**
 * One line of a batch's archive plan, as the API saw the batch when the archive was requested: an export that
 * SUCCEEDED (with its file), one that did not (with its status and error), or an id the batch refused
 * ({@code exportId} null, status {@code REJECTED}).
 *
 * @param key         the export's object in the export bucket, set only when SUCCEEDED
 * @param filename    the export's download name, set only when SUCCEEDED
 * @param sizeBytes   the object's size (0 unless SUCCEEDED)
 * @param events      events the export wrote
 * @param compressed  the export's file is already compressed (gzip): the archive stores it without deflating again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArchiveMember(String trainingId, String exportId, String status, String key, String filename,
                            long sizeBytes, long events, boolean compressed, String errorCode, String errorMessage) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String REJECTED = "REJECTED";

    public ArchiveMember {
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(status, "status");
        if (SUCCEEDED.equals(status) && (key == null || filename == null)) {
            throw new IllegalArgumentException("a SUCCEEDED member needs its object key and file name");
        }
        if (sizeBytes < 0 || events < 0) {
            throw new IllegalArgumentException("sizes and counts are not negative");
        }
    }

    /** A member export as its record stands: its file when SUCCEEDED, else its status and error. */
    public static ArchiveMember of(ExportJob job) {
        if (job.status() == ExportStatus.SUCCEEDED && job.result() != null) {
            ExportResult r = job.result();
            return new ArchiveMember(job.trainingId(), job.exportId(), SUCCEEDED, r.key(), r.filename(),
                    r.sizeBytes(), job.progress().events(), job.options().compression() != ExportCompression.NONE,
                    null, null);
        }
        JobError e = job.error();
        return new ArchiveMember(job.trainingId(), job.exportId(), job.status().name(), null, null, 0,
                job.progress().events(), false, e == null ? null : e.code().name(), e == null ? null : e.message());
    }

    /** An id the batch refused (not a valid training id, or its job could not be queued). */
    public static ArchiveMember rejected(String trainingId, String errorCode, String errorMessage) {
        return new ArchiveMember(trainingId, null, REJECTED, null, null, 0, 0, false, errorCode, errorMessage);
    }

    public boolean hasFile() {
        return SUCCEEDED.equals(status);
    }
}
