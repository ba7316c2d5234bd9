package com.mlplatform.logexport.api.accept;

import java.util.List;
import java.util.Map;

/**
 * One SQS SendMessageBatch call, behind the smallest interface a test can implement (moto never fails single
 * entries of a batch, so that retry path is tested against an in-process fake of this).
 */
@FunctionalInterface
public interface QueueSends {

    /** SQS's limit of entries in one SendMessageBatch call. */
    int MAX_BATCH = 10;

    /**
     * Sends the start message of each export (at most {@link #MAX_BATCH}); returns the failed export ids, each
     * mapped to SQS's {@code SenderFault} (true: our request was wrong, retrying will not help).
     */
    Map<String, Boolean> sendBatch(List<String> exportIds);
}
