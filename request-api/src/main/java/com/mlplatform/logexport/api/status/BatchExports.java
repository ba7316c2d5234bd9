package com.mlplatform.logexport.api.status;

import com.mlplatform.logexport.shared.job.ExportJob;
import java.util.List;

/** The exports of one batch ({@code exportstable.DynamoExportIndexes} in production). */
@FunctionalInterface
public interface BatchExports {

    List<ExportJob> find(String batchId);
}
