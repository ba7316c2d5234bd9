package com.mlplatform.logexport.api.accept;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SendMessageBatch's partial failures (moto never fails single entries): an in-memory queue that fails some
 * entries the first times it sees them, as SQS does when it is throttled (SenderFault=false).
 */
class MessageBatchSenderTest {

    @RegisterExtension
    final BatchCallsKit kit = new BatchCallsKit(Duration.ofMillis(10), Duration.ofMillis(100), 5);

    @Test
    void sendAll_shouldSendTenPerCall_andRetryFailedEntriesUntilEachIsQueuedOnce() {
        Map<String, Integer> queued = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        List<Integer> callSizes = Collections.synchronizedList(new ArrayList<>());
        QueueSends flaky = ids -> {
            callSizes.add(ids.size());
            Map<String, Boolean> failed = new HashMap<>();
            for (String id : ids) {
                int attempt = seen.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                // every third entry fails twice before it gets through
                if (id.hashCode() % 3 == 0 && attempt <= 2) {
                    failed.put(id, false);
                } else {
                    queued.merge(id, 1, Integer::sum);
                }
            }
            return failed;
        };
        List<String> ids = ids(1000);

        Set<String> failed = new MessageBatchSender(flaky, kit.pool, kit.retry).sendAll(ids);

        assertThat(failed).isEmpty();
        assertThat(queued).hasSize(1000).allSatisfy((id, count) -> assertThat(count)
                .as("no duplicate message for %s", id).isEqualTo(1));
        assertThat(callSizes).allSatisfy(n -> assertThat(n).isBetween(1, 10));
        assertThat(callSizes.stream().filter(n -> n == 10).count()).isGreaterThanOrEqualTo(90);
        assertThat(kit.sleeps).isNotEmpty();
    }

    @Test
    void sendAll_shouldNotRetrySenderFaults_andReportThem() {
        List<String> ids = ids(12);
        AtomicInteger calls = new AtomicInteger();
        QueueSends rejecting = batch -> {
            calls.incrementAndGet();
            return batch.contains(ids.get(0)) ? Map.of(ids.get(0), true) : Map.of();
        };

        Set<String> failed = new MessageBatchSender(rejecting, kit.pool, kit.retry).sendAll(ids);

        assertThat(failed).containsExactly(ids.get(0));
        assertThat(calls.get()).as("two chunks, no retry").isEqualTo(2);
    }

    @Test
    void sendAll_shouldReportEntriesThatKeepFailing_afterMaxAttempts() {
        List<String> ids = ids(3);
        AtomicInteger calls = new AtomicInteger();
        QueueSends down = batch -> {
            calls.incrementAndGet();
            Map<String, Boolean> all = new HashMap<>();
            batch.forEach(id -> all.put(id, false));
            return all;
        };

        assertThat(new MessageBatchSender(down, kit.pool, kit.retry).sendAll(ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(calls.get()).isEqualTo(kit.maxAttempts());
    }

    private static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> ExportIds.newExportId()).toList();
    }
}
