package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.batch.Chunks;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends start messages with SendMessageBatch, 10 per call, the calls in parallel. A batch call can succeed while
 * single entries fail; entries that failed through no fault of ours ({@code SenderFault} false) are sent again with
 * backoff.
 *
 * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html">SendMessageBatch</a>
 */
public final class MessageBatchSender {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final QueueSends queue;
    private final ExecutorService pool;
    private final RetryLoop retry;

    public MessageBatchSender(QueueSends queue, ExecutorService pool, RetryLoop retry) {
        this.queue = queue;
        this.pool = pool;
        this.retry = retry;
    }

    /** Sends one message per export id; returns the ids whose message is not known to be on the queue. */
    public Set<String> sendAll(List<String> exportIds) {
        Set<String> failed = new HashSet<>();
        Chunks.inParallel(pool, exportIds, QueueSends.MAX_BATCH, this::sendChunk).forEach(failed::addAll);
        return failed;
    }

    private Set<String> sendChunk(List<String> chunk) {
        Set<String> permanent = new HashSet<>();
        List<String> unsent = retry.untilDone(chunk, pending -> {
            Map<String, Boolean> failures;
            try {
                failures = queue.sendBatch(pending);
            } catch (SdkException e) {
                LOG.warn("send_batch_failed", "entries", pending.size(), "exception", e.getClass().getSimpleName());
                permanent.addAll(pending);
                return List.of();
            }
            List<String> again = new ArrayList<>();
            failures.forEach((id, senderFault) -> {
                if (senderFault) {
                    permanent.add(id);
                } else {
                    again.add(id);
                }
            });
            return again;
        });
        if (!unsent.isEmpty()) {
            LOG.warn("send_batch_entries_failed", "entries", unsent.size(), "maxAttempts",
                    retry.backoff().maxAttempts());
            permanent.addAll(unsent);
        }
        return permanent;
    }
}
