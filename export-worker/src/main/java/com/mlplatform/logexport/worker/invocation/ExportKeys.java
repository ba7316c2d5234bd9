package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.format.DownloadName;
import java.util.Optional;

/**
 * Where an export's objects live in the export bucket, and the name its file is downloaded as:
 * {@code exports/<usecase>/<exportId>/<file>} for the upload and the finished file, {@code work/<usecase>/<exportId>/…}
 * for the working object. The reconciler cleans up by these prefixes, which also finds an upload that a crashed
 * invocation created but never recorded in its checkpoint.
 */
public final class ExportKeys {

    public static final String EXPORTS = "exports/";
    public static final String WORK = "work/";

    private ExportKeys() {
    }

    /** The download name: the export's ({@link DownloadName}), or for a batch's archive job the archive's. */
    public static String filename(ExportJob job) {
        if (ArchiveIds.isArchive(job.exportId())) {
            return ArchiveIds.filename(job.usecaseId(), job.trainingId());
        }
        return DownloadName.filename(job.trainingId(), job.createdAt(), job.options().format(),
                job.options().compression());
    }

    /** Deterministic per export, so a redelivery overwrites rather than duplicates. */
    public static String objectKey(ExportJob job) {
        return exportPrefix(job.usecaseId(), job.exportId()) + DownloadName.asciiFallback(filename(job));
    }

    /**
     * The working object holding a paused export's unfinished parts, named by how far the export had got
     * ({@code bodyBytes} of the checkpoint that refers to it). A hop that stashes and dies before saving its
     * checkpoint thus never overwrites the working object the saved checkpoint still needs; two stashes at the same
     * point hold the same bytes, because the merge is deterministic.
     */
    public static String stashKey(ExportJob job, long bodyBytes) {
        return workPrefix(job.usecaseId(), job.exportId()) + "checkpoint-parts-" + bodyBytes;
    }

    public static String exportPrefix(String usecaseId, String exportId) {
        return EXPORTS + usecaseId + "/" + exportId + "/";
    }

    public static String workPrefix(String usecaseId, String exportId) {
        return WORK + usecaseId + "/" + exportId + "/";
    }

    /** The export id in a key of either layout, if it has one. */
    public static Optional<String> exportIdOf(String key) {
        String[] parts = key.split("/", 4);
        if (parts.length < 4 || !(parts[0] + "/").equals(EXPORTS) && !(parts[0] + "/").equals(WORK)
                || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts[2]);
    }
}
