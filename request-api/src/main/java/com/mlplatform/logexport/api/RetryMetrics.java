package com.mlplatform.logexport.api;

import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.shared.retry.Backoff;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import com.mlplatform.logexport.shared.retry.Sleeper;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The API's retry loops, one per AWS service, each counting its backoffs as {@code AwsRetries}. */
final class RetryMetrics {

    private RetryMetrics() {
    }

    static RetryLoop loop(Backoff backoff, String service, ExportMetrics metrics) {
        return new RetryLoop(backoff, Sleeper.THREAD, RetryLoop.Deadline.NONE,
                (cause, retry, delay) -> metrics.retried(service, kind(cause)));
    }

    /** No cause: a batch call handed back items it did not process (throttled items, failed entries). */
    static String kind(RuntimeException cause) {
        if (cause == null) {
            return "UNPROCESSED";
        }
        return cause instanceof AwsServiceException ase && ase.isThrottlingException() ? "THROTTLED" : "ERROR";
    }
}
