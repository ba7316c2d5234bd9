package com.mlplatform.logexport.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What Lambda's SQS event source mapping does with a batch once the handler returns, with
 * {@code ReportBatchItemFailures} on (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html):
 * <ul>
 *   <li>the handler threw or timed out: nothing is deleted, every message comes back after its visibility timeout;</li>
 *   <li>null response or no failures: every message is deleted;</li>
 *   <li>a failure whose {@code itemIdentifier} is null, empty or not in the batch: treated as a failure of the
 *       whole batch;</li>
 *   <li>otherwise: the listed messages stay on the queue, the others are deleted.</li>
 * </ul>
 *
 * @param delete message ids to delete
 * @param retry  message ids left on the queue for redelivery
 */
public record BatchOutcome(Set<String> delete, Set<String> retry) {

    public static BatchOutcome of(List<String> messageIds, SQSBatchResponse response) {
        Set<String> all = new LinkedHashSet<>(messageIds);
        if (response == null || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return new BatchOutcome(all, Set.of());
        }
        Set<String> failed = new LinkedHashSet<>();
        for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
            String id = f == null ? null : f.getItemIdentifier();
            if (id == null || id.isEmpty() || !all.contains(id)) {
                return wholeBatchFailed(messageIds);
            }
            failed.add(id);
        }
        Set<String> delete = new LinkedHashSet<>(all);
        delete.removeAll(failed);
        return new BatchOutcome(delete, failed);
    }

    public static BatchOutcome wholeBatchFailed(List<String> messageIds) {
        return new BatchOutcome(Set.of(), new LinkedHashSet<>(messageIds));
    }
}
