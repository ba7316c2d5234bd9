package com.mlplatform.logexport.api.exportstable;

import com.mlplatform.logexport.api.fanout.FanoutJobs;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** {@link FanoutJobs}: strongly consistent BatchGetItem reads, and the repository's conditional create. */
public record DynamoFanoutJobs(ExportJobRepository jobs, DynamoExportIndexes indexes) implements FanoutJobs {

    @Override
    public Map<String, ExportJob> existing(Collection<String> exportIds) {
        Map<String, ExportJob> out = new HashMap<>();
        indexes.byIds(exportIds).forEach(j -> out.put(j.exportId(), j));
        return out;
    }

    @Override
    public boolean create(ExportJob job) {
        return jobs.create(job);
    }
}
