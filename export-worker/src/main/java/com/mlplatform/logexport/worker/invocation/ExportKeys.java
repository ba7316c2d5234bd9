package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.format.DownloadName;

/** Where an export's objects live in the export bucket, and the name its file is downloaded as. */
public final class ExportKeys {

    private ExportKeys() {
    }

    public static String filename(ExportJob job) {
        return DownloadName.filename(job.trainingId(), job.createdAt(), job.options().format());
    }

    /** Deterministic per export, so a redelivery overwrites rather than duplicates. */
    public static String objectKey(ExportJob job) {
        return "exports/" + job.usecaseId() + "/" + job.exportId() + "/" + DownloadName.asciiFallback(filename(job));
    }

    /** The working object holding a paused export's unfinished parts. */
    public static String stashKey(ExportJob job) {
        return "work/" + job.usecaseId() + "/" + job.exportId() + "/checkpoint-parts";
    }
}
