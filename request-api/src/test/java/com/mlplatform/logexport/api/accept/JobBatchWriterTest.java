package com.mlplatform.logexport.api.accept;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The UnprocessedItems path of BatchWriteItem. moto never returns unprocessed items, so this runs against an
 * in-memory table that, like DynamoDB under throttling, stores only part of each call and hands back the rest.
 */
class JobBatchWriterTest {

    @RegisterExtension
    final BatchCallsKit kit = new BatchCallsKit(Duration.ofMillis(25), Duration.ofMillis(800), 8);

    /** Stores at most {@code perCall} items of each call; the rest come back unprocessed. */
    static class ThrottledTable implements JobTableWrites {
        final Map<String, ExportJob> stored = new ConcurrentHashMap<>();
        final List<Integer> callSizes = Collections.synchronizedList(new ArrayList<>());
        private final int perCall;

        ThrottledTable(int perCall) {
            this.perCall = perCall;
        }

        @Override
        public Set<String> putBatch(List<ExportJob> jobs) {
            assertThat(jobs.size()).as("BatchWriteItem takes at most 25 items").isLessThanOrEqualTo(MAX_BATCH);
            callSizes.add(jobs.size());
            Set<String> unprocessed = new HashSet<>();
            for (int i = 0; i < jobs.size(); i++) {
                if (i < perCall) {
                    stored.put(jobs.get(i).exportId(), jobs.get(i));
                } else {
                    unprocessed.add(jobs.get(i).exportId());
                }
            }
            return unprocessed;
        }
    }

    @Test
    void writeAll_shouldRetryOnlyUnprocessedItems_withBackoff_untilAllAreStored() {
        var table = new ThrottledTable(10);
        var writer = new JobBatchWriter(table, kit.pool, kit.retry);
        List<ExportJob> jobs = jobs(1000);

        Set<String> failed = writer.writeAll(jobs);

        assertThat(failed).isEmpty();
        assertThat(table.stored).hasSize(1000);
        assertThat(table.callSizes).as("40 full calls, then retries of 15 then 5 per chunk")
                .filteredOn(n -> n == 25).hasSize(40);
        assertThat(table.callSizes).filteredOn(n -> n == 15).hasSize(40);
        assertThat(table.callSizes).filteredOn(n -> n == 5).hasSize(40);
        assertThat(kit.sleeps).as("one backoff per retry").hasSize(80);
        assertThat(kit.sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(800)));
    }

    @Test
    void writeAll_shouldGiveUpAfterMaxAttempts_andReportExactlyTheUnwrittenIds() {
        var table = new ThrottledTable(0) {
            int calls;

            @Override
            public synchronized Set<String> putBatch(List<ExportJob> jobs) {
                // Stores the first item of the first call only, then stays fully throttled.
                if (calls++ == 0) {
                    stored.put(jobs.get(0).exportId(), jobs.get(0));
                    Set<String> rest = new HashSet<>();
                    jobs.subList(1, jobs.size()).forEach(j -> rest.add(j.exportId()));
                    return rest;
                }
                Set<String> all = new HashSet<>();
                jobs.forEach(j -> all.add(j.exportId()));
                return all;
            }
        };
        var writer = new JobBatchWriter(table, kit.pool, kit.retry);
        List<ExportJob> jobs = jobs(3);

        Set<String> failed = writer.writeAll(jobs);

        assertThat(failed).containsExactlyInAnyOrder(jobs.get(1).exportId(), jobs.get(2).exportId());
        assertThat(table.stored).containsOnlyKeys(jobs.get(0).exportId());
        assertThat(table.calls).isEqualTo(kit.maxAttempts());
    }

    @Test
    void writeAll_shouldReportTheWholeChunk_whenTheCallItselfFails() {
        JobTableWrites broken = batch -> {
            if (batch.get(0).trainingId().equals("job-0")) {
                throw SdkClientException.create("connection reset");
            }
            return Set.of();
        };
        List<ExportJob> jobs = jobs(30);

        Set<String> failed = new JobBatchWriter(broken, kit.pool, kit.retry).writeAll(jobs);

        assertThat(failed).hasSize(25).contains(jobs.get(0).exportId()).doesNotContain(jobs.get(29).exportId());
    }

    static List<ExportJob> jobs(int n) {
        Instant now = Instant.now();
        return IntStream.range(0, n).mapToObj(i -> ExportJob.queued(ExportIds.newExportId(), "uc-a", "job-" + i,
                "alice", ExportOptions.DEFAULT, "bat-0123456789abcdefghjkmnpqrs", now)).toList();
    }
}
