package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.api.exportstable.DynamoIdempotencyRecords;
import com.mlplatform.logexport.api.idempotency.IdempotencyStore;
import com.mlplatform.logexport.emulator.faults.LostResponse;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** Idempotency-Key replays and in-flight dedupe, sequential and under concurrent requests, on the emulator. */
class IdempotencyIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    @Test
    void sameKeyReplay_shouldReturnTheSameExport_andQueueNothingNew() {
        api.drainQueue();
        Map<String, String> key = Map.of("Idempotency-Key", "replay-key-1");
        var first = api.call("POST", "/usecases/uc-a/trainings/idem-1/log-exports", "alice", null, key)
                .assertStatus(202);
        var second = api.call("POST", "/usecases/uc-a/trainings/idem-1/log-exports", "alice", null, key)
                .assertStatus(202);

        assertThat(second.text("/exportId")).isEqualTo(first.text("/exportId"));
        assertThat(second.headers()).containsEntry("Idempotent-Replayed", "true")
                .containsEntry("Location", first.headers().get("Location"));
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(jobsFor("alice", "idem-1")).hasSize(1);
        assertThat(api.drainQueue()).containsExactly(first.text("/exportId"));
    }

    @Test
    void sameKeyReplay_shouldHoldEvenAfterTheExportFinished() {
        Map<String, String> key = Map.of("Idempotency-Key", "replay-key-2");
        String id = api.call("POST", "/usecases/uc-a/trainings/idem-2/log-exports", "alice", null, key)
                .assertStatus(202).text("/exportId");
        api.call("DELETE", "/log-exports/" + id, "alice").assertStatus(202);
        var replay = api.call("POST", "/usecases/uc-a/trainings/idem-2/log-exports", "alice", null, key)
                .assertStatus(202);
        assertThat(replay.text("/exportId")).as("the key, not dedupe, decides").isEqualTo(id);
        assertThat(jobsFor("alice", "idem-2")).hasSize(1);
    }

    @Test
    void sameKey_forADifferentRequest_shouldBe400() {
        Map<String, String> key = Map.of("Idempotency-Key", "reused-key");
        api.call("POST", "/usecases/uc-a/trainings/idem-3/log-exports", "alice", null, key).assertStatus(202);
        api.call("POST", "/usecases/uc-a/trainings/idem-4/log-exports", "alice", null, key)
                .assertError(400, "INVALID_REQUEST");
        assertThat(jobsFor("alice", "idem-4")).isEmpty();
    }

    @Test
    void sameKey_fromAnotherUser_shouldBeIndependent() {
        Map<String, String> key = Map.of("Idempotency-Key", "shared-key");
        String a = api.call("POST", "/usecases/uc-a/trainings/idem-5/log-exports", "alice", null, key)
                .assertStatus(202).text("/exportId");
        String b = api.call("POST", "/usecases/uc-a/trainings/idem-5/log-exports", "bob", null, key)
                .assertStatus(202).text("/exportId");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void batchReplay_shouldReturnTheSameBatch() {
        Map<String, String> key = Map.of("Idempotency-Key", "batch-key-1");
        String body = "{\"trainingIds\":[\"ib-1\",\"ib-2\",\"bad/id\"]}";
        var first = api.call("POST", "/usecases/uc-a/log-exports", "alice", body, key).assertStatus(202);
        var again = api.call("POST", "/usecases/uc-a/log-exports", "alice", body, key).assertStatus(202);
        assertThat(again.body()).isEqualTo(first.body());
        api.runFanout();
        assertThat(jobsFor("alice", "ib-1")).as("the replay handed nothing new to the fan-out").hasSize(1);
    }

    /**
     * Issue 10: 1,000 invalid 259-character ids in a body just under 256 KiB echo a ~450 KB answer, more than one
     * DynamoDB item holds (400 KB); storing it failed with 503 and left the key PENDING for ever.
     */
    @Test
    void aKeyWhoseAnswerIsLargerThanOneItem_shouldStill202_andReplayIt() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(String.format("%0259d", i));
        }
        String body = Json.write(Map.of("trainingIds", ids));
        assertThat(body.length()).isBetween(255 * 1024, 256 * 1024);
        Map<String, String> key = Map.of("Idempotency-Key", "large-answer-1");

        var first = api.call("POST", "/usecases/uc-a/log-exports", "bob", body, key).assertStatus(202);
        assertThat(first.body().length()).as("the echoed answer").isGreaterThan(400 * 1024);
        var again = api.call("POST", "/usecases/uc-a/log-exports", "bob", body, key).assertStatus(202);

        assertThat(again.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(again.body()).isEqualTo(first.body());
        api.call("GET", first.headers().get("Location"), "bob").assertStatus(200);
    }

    @Test
    void concurrentRequestsWithOneKey_shouldCreateExactlyOneExport() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "race-key-1");
        List<ApiHarness.Reply> replies = race(12, () ->
                api.call("POST", "/usecases/uc-a/trainings/race-1/log-exports", "alice", null, key));

        assertThat(jobsFor("alice", "race-1")).as("one export, however many raced").hasSize(1);
        String id = jobsFor("alice", "race-1").get(0).exportId();
        for (var r : replies) {
            // Losers either get the winner's answer, or 409 + Retry-After while the winner is still working.
            if (r.status() == 202) {
                assertThat(r.text("/exportId")).isEqualTo(id);
            } else {
                r.assertError(409, "CONFLICT");
                assertThat(r.headers()).containsKey("Retry-After");
            }
        }
        assertThat(replies).anySatisfy(r -> assertThat(r.status()).isEqualTo(202));
    }

    @Test
    void inFlightDedupe_shouldHandBackTheActiveExport_andStartANewOneOnceItFinished() {
        String first = api.call("POST", "/usecases/uc-a/trainings/dedupe-1/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        String again = api.call("POST", "/usecases/uc-a/trainings/dedupe-1/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        assertThat(again).isEqualTo(first);

        String otherOptions = api.call("POST", "/usecases/uc-a/trainings/dedupe-1/log-exports", "alice",
                "{\"format\":\"jsonl\"}").assertStatus(202).text("/exportId");
        assertThat(otherOptions).as("different options are a different export").isNotEqualTo(first);
        String otherUser = api.call("POST", "/usecases/uc-a/trainings/dedupe-1/log-exports", "bob")
                .assertStatus(202).text("/exportId");
        assertThat(otherUser).isNotEqualTo(first);

        api.succeed(first, "dedupe-1.log", "done\n");
        String afterFinish = api.call("POST", "/usecases/uc-a/trainings/dedupe-1/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        assertThat(afterFinish).as("a finished export is not in flight").isNotEqualTo(first);
    }

    @Test
    void concurrentIdenticalRequestsWithoutKey_shouldShareOneExport() throws Exception {
        List<ApiHarness.Reply> replies = race(12, () ->
                api.call("POST", "/usecases/uc-a/trainings/race-2/log-exports", "bob"));
        Set<String> ids = new HashSet<>();
        replies.forEach(r -> ids.add(r.assertStatus(202).text("/exportId")));
        assertThat(ids).hasSize(1);
        assertThat(jobsFor("bob", "race-2")).hasSize(1);
    }

    /**
     * The claim's PutItem commits, its response is lost and the SDK sends it again: the repeat finds the record.
     * Before claims named their owner, the request took it for another request's claim and answered 409, and so
     * did every retry of the client for the claim's 60 s lease (a reliability fault trial saw six 409s in a row).
     */
    @Test
    void lostResponseOfTheClaim_isTheRequestsOwnClaim_notAConflict() {
        LostResponse lost = LostResponse.ofNth(PutItemRequest.class, 1);
        try (DynamoDbClient lossy = lost.dynamo(api.clients.settings())) {
            var store = new IdempotencyStore(new DynamoIdempotencyRecords(lossy, api.resources.exportsTable()));

            var begin = store.begin("alice", "lost-claim-1", "fp", Instant.now());

            assertThat(lost.lost()).as("the claim's response was dropped").isEqualTo(1);
            assertThat(lost.seen()).as("and the SDK sent it again").isEqualTo(2);
            assertThat(begin).isInstanceOf(IdempotencyStore.Fresh.class);
            store.complete(((IdempotencyStore.Fresh) begin).ticket(), 202, "{\"exportId\":\"x\"}", null);
            assertThat(store.begin("alice", "lost-claim-1", "fp", Instant.now()))
                    .isEqualTo(new IdempotencyStore.Replay(202, "{\"exportId\":\"x\"}", null));
        }
    }

    @Test
    void aRequestWhoseLeaseRanOut_neitherFreesNorCompletes_theClaimOfTheRequestThatTookTheKeyOver() {
        var store = new IdempotencyStore(new DynamoIdempotencyRecords(api.clients.dynamo(),
                api.resources.exportsTable()));
        Instant t0 = Instant.now();
        var slow = (IdempotencyStore.Fresh) store.begin("alice", "taken-over-1", "fp", t0);
        var next = store.begin("alice", "taken-over-1", "fp", t0.plusSeconds(61));
        assertThat(next).as("the lease ran out: the key is taken over").isInstanceOf(IdempotencyStore.Fresh.class);

        store.abandon(slow.ticket());
        store.complete(slow.ticket(), 202, "{\"late\":true}", null);

        assertThat(store.begin("alice", "taken-over-1", "fp", t0.plusSeconds(62)))
                .as("still the second request's claim").isInstanceOf(IdempotencyStore.InProgress.class);
        store.complete(((IdempotencyStore.Fresh) next).ticket(), 202, "{\"second\":true}", null);
        assertThat(store.begin("alice", "taken-over-1", "fp", t0.plusSeconds(63)))
                .isEqualTo(new IdempotencyStore.Replay(202, "{\"second\":true}", null));
    }

    private static List<ExportJob> jobsFor(String user, String trainingId) {
        return api.jobsOf(user).stream().filter(j -> j.trainingId().equals(trainingId)).toList();
    }

    private static List<ApiHarness.Reply> race(int n, Callable<ApiHarness.Reply> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<ApiHarness.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<ApiHarness.Reply> replies = new ArrayList<>();
            for (Future<ApiHarness.Reply> f : futures) {
                replies.add(f.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
