package com.mlplatform.logexport.api.status;

import com.mlplatform.logexport.shared.job.ExportJob;
import java.util.Collection;
import java.util.List;

/** The exports of one batch ({@code exportstable.DynamoExportIndexes} in production). */
public interface BatchExports {

    /** The exports the batch created (through the batch-id index). */
    List<ExportJob> find(String batchId);

    /** The exports with these ids that exist (a batch's joined exports), strongly consistent. */
    List<ExportJob> byIds(Collection<String> exportIds);
}
