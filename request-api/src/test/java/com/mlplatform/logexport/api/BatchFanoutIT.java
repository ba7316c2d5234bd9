package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.api.accept.MessageBatchSender;
import com.mlplatform.logexport.api.accept.SqsQueueSends;
import com.mlplatform.logexport.api.exportstable.DynamoBatchRecords;
import com.mlplatform.logexport.api.exportstable.DynamoExportIndexes;
import com.mlplatform.logexport.api.exportstable.DynamoFanoutJobs;
import com.mlplatform.logexport.api.fanout.BatchFanout;
import com.mlplatform.logexport.api.fanout.BatchFanoutHandler;
import com.mlplatform.logexport.api.fanout.BatchPlans;
import com.mlplatform.logexport.api.fanout.FanoutJobs;
import com.mlplatform.logexport.api.fanout.FanoutState;
import com.mlplatform.logexport.api.fanout.FanoutSweep;
import com.mlplatform.logexport.api.fanout.FanoutSweepHandler;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.retry.Backoff;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fan-out on the emulator, killed between its steps: after creating some jobs and before sending any message,
 * and after sending every message but before marking the batch DONE. The redelivered message completes the batch
 * with each export created exactly once; and a batch whose message was lost is re-driven by the sweep.
 */
class BatchFanoutIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    private static final ExecutorService POOL = Executors.newFixedThreadPool(8);
    private static final int N = 120;

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    @BeforeEach
    void emptyQueues() {
        api.runFanout();
        api.drainQueue();
    }

    @Test
    void crashAfterCreatingSomeJobs_beforeAnyMessage_redeliveryCreatesTheRestOnce_andQueuesEachOnce() {
        var reply = accept(N);
        AtomicInteger creates = new AtomicInteger();
        FanoutJobs real = jobs();
        FanoutJobs dying = new FanoutJobs() {
            @Override
            public Map<String, ExportJob> existing(Collection<String> ids) {
                return real.existing(ids);
            }

            @Override
            public boolean create(ExportJob job) {
                if (creates.incrementAndGet() > N / 2) {
                    throw new IllegalStateException("invocation killed");
                }
                return real.create(job);
            }
        };
        assertThat(api.deliverFanoutOnce(new BatchFanoutHandler(fanout(dying, records())))).isEqualTo(1);
        List<ExportJob> afterCrash = jobsOf(reply);
        assertThat(afterCrash).as("the crash left part of the batch created").hasSizeBetween(1, N - 1);
        assertThat(api.drainQueue()).as("killed before sending").isEmpty();

        api.runFanout();

        assertEveryExportOnce(reply);
        assertThat(api.drainQueue()).as("one message per export").hasSize(N).doesNotHaveDuplicates();
    }

    @Test
    void crashAfterSendingEveryMessage_beforeDone_redeliveryCreatesNothingTwice() {
        var reply = accept(N);
        DynamoBatchRecords real = records();
        AtomicInteger finishes = new AtomicInteger();
        BatchPlans dyingAtDone = (BatchPlans) Proxy.newProxyInstance(BatchPlans.class.getClassLoader(),
                new Class<?>[] {BatchPlans.class}, (proxy, method, args) -> {
                    if (method.getName().equals("finish")) {
                        finishes.incrementAndGet();
                        throw new IllegalStateException("invocation killed");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        api.deliverFanoutOnce(new BatchFanoutHandler(new BatchFanout(dyingAtDone, jobs(), sender(), POOL,
                Clock.systemUTC())));
        assertThat(finishes.get()).as("the delivery reached the end and died there").isEqualTo(1);
        assertThat(real.progress(reply.text("/batchId")).orElseThrow().state()).isEqualTo(FanoutState.PENDING);
        assertThat(jobsOf(reply)).hasSize(N);

        api.runFanout();

        assertEveryExportOnce(reply);
        assertThat(real.progress(reply.text("/batchId")).orElseThrow().state()).isEqualTo(FanoutState.DONE);
        List<String> messages = api.drainQueue();
        assertThat(new java.util.HashSet<>(messages)).as("every export queued").hasSize(N);
        assertThat(messages).as("the redelivery sent again the messages of the exports still QUEUED and never "
                + "claimed (it cannot know they were sent): duplicates, which the worker acknowledges").hasSize(2 * N);
    }

    @Test
    void lostFanoutMessage_isRedrivenBySweep_afterItsGrace() {
        var reply = accept(7);
        api.clients.sqs().purgeQueue(r -> r.queueUrl(api.fanoutQueueUrl()));
        Clock later = Clock.fixed(Instant.now().plus(FanoutSweep.GRACE).plusSeconds(1), ZoneOffset.UTC);

        var result = new FanoutSweepHandler(api.clients, api.sweepConfig(), later).handleRequest(null, null);

        assertThat(result).containsEntry("redriven", 1);
        api.runFanout();
        assertThat(jobsOf(reply)).hasSize(7);
        assertThat(api.drainQueue()).hasSize(7);
    }

    private ApiHarness.Reply accept(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("crash-" + n + "-" + i + "-" + System.nanoTime() % 100_000);
        }
        return api.call("POST", "/usecases/uc-a/log-exports", "alice", Json.write(Map.of("trainingIds", ids)))
                .assertStatus(202);
    }

    private static List<ExportJob> jobsOf(ApiHarness.Reply reply) {
        String batchId = reply.text("/batchId");
        return api.jobsOf("alice").stream().filter(j -> batchId.equals(j.batchId())).toList();
    }

    private static void assertEveryExportOnce(ApiHarness.Reply reply) {
        Map<String, String> planned = new HashMap<>();
        reply.json().get("exports").forEach(e -> planned.put(e.get("exportId").asText(),
                e.get("trainingId").asText()));
        List<ExportJob> jobs = jobsOf(reply);
        assertThat(jobs).hasSize(planned.size());
        assertThat(jobs).allSatisfy(j -> {
            assertThat(planned).containsEntry(j.exportId(), j.trainingId());
            assertThat(j.status()).isEqualTo(ExportStatus.QUEUED);
        });
        var status = api.call("GET", "/log-export-batches/" + reply.text("/batchId"), "bob").assertStatus(200);
        assertThat(status.json().at("/total").asInt()).isEqualTo(planned.size());
        assertThat(status.json().at("/counts/QUEUED").asInt()).isEqualTo(planned.size());
    }

    private static DynamoBatchRecords records() {
        return new DynamoBatchRecords(api.clients.dynamo(), api.resources.exportsTable());
    }

    private static FanoutJobs jobs() {
        return new DynamoFanoutJobs(api.repo(), new DynamoExportIndexes(api.clients.dynamo(),
                api.resources.exportsTable()));
    }

    private static MessageBatchSender sender() {
        return new MessageBatchSender(new SqsQueueSends(api.clients.sqs(), api.resources.queueUrl()), POOL,
                new RetryLoop(new Backoff(Duration.ofMillis(5), Duration.ofMillis(50), 3), d -> { }));
    }

    private static BatchFanout fanout(FanoutJobs jobs, BatchPlans plans) {
        return new BatchFanout(plans, jobs, sender(), POOL, Clock.systemUTC());
    }
}
