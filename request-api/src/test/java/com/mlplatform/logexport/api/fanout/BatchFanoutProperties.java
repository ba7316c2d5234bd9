package com.mlplatform.logexport.api.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.api.accept.MessageBatchSender;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.retry.Backoff;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The fan-out under any batch and any sequence of deliveries that die at any call (a crash, a timeout, a redelivery
 * of a message whose run had finished), with items cancelled before the fan-out reached them: once a delivery runs
 * to its end, every planned export exists exactly once, as planned, every one not cancelled beforehand has had a
 * message, no message ever named an export without a job, and the batch is DONE.
 */
class BatchFanoutProperties {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

    @AfterContainer
    static void stopPool() {
        POOL.shutdownNow();
    }

    @Property(tries = 200)
    void anyBatch_anyCrashesAndRedeliveries_eachExportExactlyOnce(
            @ForAll("batchSizes") int size,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 40) Integer> crashes,
            @ForAll @Size(max = 5) List<@IntRange(min = 0, max = 2_499) Integer> cancelled) {
        InMemoryFanoutStore store = new InMemoryFanoutStore();
        BatchPlan plan = plan(size);
        store.save(plan, NOW);
        BatchFanout fanout = fanout(store);

        Set<String> cancelledFirst = new HashSet<>();
        for (int i = 0; i < crashes.size(); i++) {
            if (i < cancelled.size() && size > 0) {
                int index = cancelled.get(i) % size;
                ExportJob placeholder = placeholder(plan, index);
                if (store.cancelBeforeFanout(placeholder)) {
                    cancelledFirst.add(placeholder.exportId());
                }
            }
            store.crashAfter(crashes.get(i));
            try {
                fanout.run(plan.batchId());
            } catch (InMemoryFanoutStore.Crash e) {
                // the invocation died; SQS delivers the message again
            }
        }
        store.neverCrash();
        assertThat(fanout.run(plan.batchId()).complete()).isTrue();
        fanout.run(plan.batchId()); // a duplicate delivery after the end changes nothing

        assertThat(store.jobs).as("one job per planned export, no other").hasSize(size);
        for (int i = 0; i < size; i++) {
            ExportJob job = store.jobs.get(plan.exportId(i));
            assertThat(job).isNotNull();
            assertThat(job.trainingId()).isEqualTo(plan.trainingIds().get(i));
            assertThat(job.batchId()).isEqualTo(plan.batchId());
            assertThat(job.status()).isEqualTo(cancelledFirst.contains(job.exportId()) ? ExportStatus.CANCELLED
                    : ExportStatus.QUEUED);
        }
        Set<String> messaged = new HashSet<>(store.messages);
        for (ExportJob job : store.jobs.values()) {
            assertThat(messaged.contains(job.exportId())).as("message for %s", job.exportId())
                    .isEqualTo(!cancelledFirst.contains(job.exportId()));
        }
        assertThat(store.messagesWithoutJob).as("never a message without a job").isEmpty();
        assertThat(store.state(plan.batchId())).isEqualTo(FanoutState.DONE);
    }

    @Property(tries = 50)
    void withoutCrashes_eachExportGetsExactlyOneMessage(@ForAll("batchSizes") int size) {
        InMemoryFanoutStore store = new InMemoryFanoutStore();
        BatchPlan plan = plan(size);
        store.save(plan, NOW);

        fanout(store).run(plan.batchId());

        Map<String, Integer> perExport = new HashMap<>();
        store.messages.forEach(id -> perExport.merge(id, 1, Integer::sum));
        assertThat(perExport).hasSize(size).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    @Provide
    Arbitrary<Integer> batchSizes() {
        // Across the chunk boundary (1,000) too, where a run may die between two chunks.
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 30), Arbitraries.of(999, 1_000, 1_001, 2_500));
    }

    private static BatchPlan plan(int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add("train-" + i);
        }
        return new BatchPlan(ExportIds.newBatchId(), "uc-a", "alice", ExportOptions.DEFAULT, NOW, ids);
    }

    private static ExportJob placeholder(BatchPlan plan, int index) {
        PlanChunk chunk = plan.chunks().get(index / BatchPlan.CHUNK_SIZE);
        return chunk.placeholder(index, FanoutState.PENDING).orElseThrow();
    }

    private static BatchFanout fanout(InMemoryFanoutStore store) {
        MessageBatchSender sender = new MessageBatchSender(store, POOL,
                new RetryLoop(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 3), d -> { }));
        return new BatchFanout(store, store, sender, POOL, Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
