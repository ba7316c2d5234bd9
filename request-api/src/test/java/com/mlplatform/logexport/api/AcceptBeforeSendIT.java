package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 9: the API writes a request's jobs, then sends their messages. What a client may rely on when the second
 * step does not happen:
 * <ul>
 *   <li>the invocation dies in between (timeout, crash): the job stays QUEUED in the sparse active-index, which is
 *       exactly what the reconciler reads, so it re-drives the job once its queued grace has passed
 *       (export-worker's {@code ExportReconcilerIT} shows that half; request-api does not depend on export-worker,
 *       so this test stops at "the reconciler will find it");</li>
 *   <li>the send fails within the request: 503 (the client retries at once, instead of waiting up to the
 *       reconciler's grace for a job nobody would start), and the job ends FAILED with a reason and leaves the
 *       active index; its guard is freed, so the retry starts a new export.</li>
 * </ul>
 * Never a job that is neither sent nor findable.
 */
class AcceptBeforeSendIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    @AfterEach
    void normalQueue() {
        api.reconfigure(api.config());
    }

    @Test
    void anInvocationThatDiesBetweenItsWritesAndItsSends_leavesTheJobQueuedInTheActiveIndex() {
        api.drainQueue();
        api.reconfigure(queue -> ids -> {
            throw new IllegalStateException("the invocation dies here");
        });
        api.call("POST", "/usecases/uc-a/trainings/crash-1/log-exports", "alice").assertError(500, "INTERNAL");

        ExportJob job = only("alice", "crash-1");
        assertThat(job.status()).isEqualTo(ExportStatus.QUEUED);
        assertThat(activeIndex(job)).as("found where the reconciler looks").contains(job.exportId());
        assertThat(api.queueDepth()).as("no message was sent").isZero();

        api.reconfigure(api.config());
        assertThat(api.call("POST", "/usecases/uc-a/trainings/crash-1/log-exports", "alice").assertStatus(202)
                .text("/exportId")).as("a retry joins it: it is live, and the reconciler will send it")
                .isEqualTo(job.exportId());
    }

    @Test
    void aSendThatFailsWithinTheRequest_is503_andItsJobEndsFailedOutsideTheActiveIndex() {
        api.drainQueue();
        api.reconfigure(queue -> ids -> {
            Map<String, Boolean> failed = new HashMap<>();
            ids.forEach(id -> failed.put(id, true)); // SenderFault: not retried
            return failed;
        });
        api.call("POST", "/usecases/uc-a/trainings/unsent-1/log-exports", "bob").assertError(503, "UNAVAILABLE");

        ExportJob job = only("bob", "unsent-1");
        assertThat(job.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(job.error().message()).contains("start it again");
        // The shard is shared with other exports (the other test's may hash to it): only this one must be gone.
        assertThat(activeIndex(job)).as("out of the reconciler's index").doesNotContain(job.exportId());

        api.reconfigure(api.config());
        String retry = api.call("POST", "/usecases/uc-a/trainings/unsent-1/log-exports", "bob").assertStatus(202)
                .text("/exportId");
        assertThat(retry).isNotEqualTo(job.exportId());
        assertThat(api.drainQueue()).containsExactly(retry);
    }

    private static ExportJob only(String user, String trainingId) {
        List<ExportJob> jobs = api.jobsOf(user).stream().filter(j -> j.trainingId().equals(trainingId)).toList();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    /** The export ids the reconciler's query finds in the job's shard of the active-index. */
    private static List<String> activeIndex(ExportJob job) {
        var dynamo = api.clients.dynamo(); // owned by the harness's AwsClients: not closed here
        return dynamo.query(r -> r.tableName(api.resources.exportsTable()).indexName(ExportJobItem.ACTIVE_INDEX)
                        .keyConditionExpression("#s = :s")
                        .expressionAttributeNames(Map.of("#s", ExportJobItem.ACTIVE_SHARD))
                        .expressionAttributeValues(Map.of(":s",
                                AttributeValue.fromS(ExportJobItem.activeShard(job.exportId())))))
                .items().stream().map(i -> i.get(ExportJobItem.EXPORT_ID).s()).toList();
    }
}
