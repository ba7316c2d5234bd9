package com.mlplatform.logexport.shared.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
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

    public boolean hasFile() {
        return SUCCEEDED.equals(status);
    }
}
