package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.shared.job.ExportJob;
import java.util.Collection;
import java.util.Map;

/** The jobs the fan-out creates, in the exports table ({@code exportstable.DynamoFanoutJobs} in production). */
public interface FanoutJobs {

    /** The jobs among these ids that exist, by id (strongly consistent). */
    Map<String, ExportJob> existing(Collection<String> exportIds);

    /** Creates the job if no item has its id yet; false when one has (a redelivery's, or a cancel's). */
    boolean create(ExportJob job);
}
