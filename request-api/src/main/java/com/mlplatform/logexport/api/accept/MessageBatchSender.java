package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.log.StructuredLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends start messages with SendMessageBatch, 10 per call, the calls in parallel. A batch call can succeed while
 * single entries fail; entries that failed through no fault of ours are sent again with backoff.
 */
public final class MessageBatchSender {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final QueueSends queue;
    private final ExecutorService pool;
    private final Backoff backoff;

    public MessageBatchSender(QueueSends queue, ExecutorService pool, Backoff backoff) {
        this.queue = queue;
        this.pool = pool;
        this.backoff = backoff;
    }

    /** Sends one message per export id; returns the ids whose message is not known to be on the queue. */
    public Set<String> sendAll(List<String> exportIds) {
        Set<String> failed = new HashSet<>();
        Parallel.map(pool, Parallel.chunks(exportIds, QueueSends.MAX_BATCH), this::sendChunk).forEach(failed::addAll);
        return failed;
    }

    private Set<String> sendChunk(List<String> chunk) {
        List<String> pending = chunk;
        Set<String> permanent = new HashSet<>();
        for (int attempt = 1; ; attempt++) {
            Map<String, Boolean> failures;
            try {
                failures = queue.sendBatch(pending);
            } catch (SdkException e) {
                LOG.warn("send_batch_failed", "entries", pending.size(), "exception", e.getClass().getSimpleName());
                permanent.addAll(pending);
                return permanent;
            }
            List<String> retry = new ArrayList<>();
            failures.forEach((id, senderFault) -> {
                if (senderFault) {
                    permanent.add(id);
                } else {
                    retry.add(id);
                }
            });
            if (retry.isEmpty()) {
                return permanent;
            }
            if (attempt >= backoff.maxAttempts() || !backoff.pause(attempt)) {
                LOG.warn("send_batch_entries_failed", "entries", retry.size(), "attempts", attempt);
                permanent.addAll(retry);
                return permanent;
            }
            pending = List.copyOf(retry);
        }
    }
}
