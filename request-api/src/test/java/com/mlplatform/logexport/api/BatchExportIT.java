package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The batch route at full size, through the real handler on the emulator. */
class BatchExportIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    @Test
    void batchOf1000_with10InvalidIds_shouldQueue990Exports_andReject10Items() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 990; i++) {
            ids.add("bulk-train-" + i);
        }
        List<String> invalid = List.of("bad/slash", "bad%2Fenc", "-leading", "trailing-", "under_score",
                "dots.are.bad", "a".repeat(64), "", "spa ce", "ümlaut");
        for (int i = 0; i < invalid.size(); i++) {
            ids.add(i * 97, invalid.get(i));
        }
        assertThat(ids).hasSize(1000);
        String body = Json.write(Map.of("trainingIds", ids, "format", "text"));

        api.drainQueue();
        long started = System.nanoTime();
        var reply = api.call("POST", "/usecases/uc-a/log-exports", "alice", body).assertStatus(202);
        long millis = (System.nanoTime() - started) / 1_000_000;

        String batchId = reply.text("/batchId");
        assertThat(reply.headers()).containsEntry("Location", "/log-export-batches/" + batchId);
        JsonNode exports = reply.json().get("exports");
        assertThat(exports).hasSize(1000);
        Map<String, String> exportByTraining = new HashMap<>();
        Set<String> rejected = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            JsonNode item = exports.get(i);
            assertThat(item.get("trainingId").asText()).as("items keep request order").isEqualTo(ids.get(i));
            if (item.has("error")) {
                assertThat(item.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
                assertThat(item.at("/error/message").asText()).startsWith("trainingId");
                rejected.add(item.get("trainingId").asText());
            } else {
                assertThat(item.get("status").asText()).isEqualTo("QUEUED");
                exportByTraining.put(item.get("trainingId").asText(), item.get("exportId").asText());
            }
        }
        assertThat(rejected).containsExactlyInAnyOrderElementsOf(invalid);
        assertThat(exportByTraining).hasSize(990);
        assertThat(new HashSet<>(exportByTraining.values())).hasSize(990);

        assertThat(api.jobsOf("alice")).as("the request creates no job: the fan-out does")
                .noneMatch(j -> batchId.equals(j.batchId()));
        var before = api.call("GET", "/log-export-batches/" + batchId, "bob").assertStatus(200);
        assertThat(before.json().at("/total").asInt()).as("not yet created ones count as QUEUED").isEqualTo(990);
        assertThat(before.json().at("/counts/QUEUED").asInt()).isEqualTo(990);
        assertThat(before.json().get("exports")).hasSize(990);
        String first = exportByTraining.get("bulk-train-0");
        var queued = api.call("GET", "/log-exports/" + first, "bob").assertStatus(200).json();
        assertThat(queued.at("/status").asText()).isEqualTo("QUEUED");
        assertThat(queued.at("/trainingId").asText()).isEqualTo("bulk-train-0");
        assertThat(queued.at("/batchId").asText()).isEqualTo(batchId);
        assertThat(queued.at("/requestedBy").asText()).isEqualTo("alice");
        api.call("GET", "/log-exports/" + first, "carol").assertError(404, "NOT_FOUND");

        assertThat(api.runFanout()).as("one fan-out message per batch").isEqualTo(1);
        List<ExportJob> jobs = api.jobsOf("alice").stream().filter(j -> batchId.equals(j.batchId())).toList();
        assertThat(jobs).hasSize(990).allSatisfy(j -> assertThat(j.status()).isEqualTo(ExportStatus.QUEUED));
        assertThat(jobs).extracting(ExportJob::exportId).containsExactlyInAnyOrderElementsOf(exportByTraining.values());
        // Count only: moto's ReceiveMessage scans the whole queue for every call (seconds each at 1,000
        // messages), so the ids are compared message by message in the smaller batch test below.
        assertThat(api.queueDepth()).as("exactly one message per job").isEqualTo(990);
        api.purgeQueue();

        var status = api.call("GET", "/log-export-batches/" + batchId, "bob").assertStatus(200);
        assertThat(status.json().at("/total").asInt()).isEqualTo(990);
        assertThat(status.json().at("/counts/QUEUED").asInt()).isEqualTo(990);
        assertThat(status.json().at("/counts/SUCCEEDED").asInt()).isZero();
        assertThat(status.json().get("exports")).hasSize(990);

        api.call("GET", "/log-export-batches/" + batchId, "carol").assertError(404, "NOT_FOUND");
        // Timing is the benchmark's business (BatchAcceptBenchmark, docs/api.md): on a shared 2-core machine moto's
        // speed varies too much for a time limit here to mean anything about AWS.
        System.out.printf("batch of 1000 (990 valid) accepted on the emulator in %d ms%n", millis);
    }

    @Test
    void batch_shouldSendExactlyOneMessagePerCreatedJob_andNoneForRejectedItems() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            ids.add("msg-check-" + i);
        }
        ids.addAll(List.of("bad/1", "bad_2", "-bad3"));
        api.runFanout(); // other tests' batches
        api.drainQueue();
        var reply = api.call("POST", "/usecases/uc-a/log-exports", "bob", Json.write(Map.of("trainingIds", ids)))
                .assertStatus(202);
        List<String> created = new ArrayList<>();
        reply.json().get("exports").forEach(e -> {
            if (e.has("exportId")) {
                created.add(e.get("exportId").asText());
            }
        });
        assertThat(created).hasSize(37);
        assertThat(api.drainQueue()).as("nothing is queued before the fan-out runs").isEmpty();
        api.runFanout();
        assertThat(api.drainQueue()).as("one message per job, none without a job")
                .containsExactlyInAnyOrderElementsOf(created);
        var repo = api.repo();
        assertThat(created).allSatisfy(id -> assertThat(repo.find(id)).isPresent());
    }

    @Test
    void batch_shouldCollapseDuplicates_andNotJoinExportsInFlightOutsideIt() {
        String single = api.call("POST", "/usecases/uc-a/trainings/dup-1/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        var reply = api.call("POST", "/usecases/uc-a/log-exports", "alice",
                "{\"trainingIds\":[\"dup-1\",\"dup-2\",\"dup-2\"]}").assertStatus(202);
        JsonNode exports = reply.json().get("exports");
        assertThat(exports.get(0).get("exportId").asText()).as("a batch has exports of its own")
                .isNotEqualTo(single);
        assertThat(exports.get(1).get("exportId").asText()).as("an id listed twice shares one export")
                .isEqualTo(exports.get(2).get("exportId").asText());
        api.runFanout();
        var status = api.call("GET", reply.headers().get("Location"), "alice").assertStatus(200).json();
        assertThat(status.at("/total").asInt()).isEqualTo(2);
        assertThat(status.at("/requested").asInt()).isEqualTo(3);
    }

    @Test
    void cancel_beforeFanout_shouldCreateTheJobCancelled_andTheFanoutShouldQueueOnlyTheOthers() {
        api.runFanout(); // other tests' batches
        api.drainQueue();
        var reply = api.call("POST", "/usecases/uc-a/log-exports", "bob",
                "{\"trainingIds\":[\"early-1\",\"early-2\"]}").assertStatus(202);
        String cancelled = reply.json().at("/exports/0/exportId").asText();
        String other = reply.json().at("/exports/1/exportId").asText();
        api.call("DELETE", "/log-exports/" + cancelled, "alice").assertStatus(202);
        api.call("DELETE", "/log-exports/" + cancelled, "alice").assertStatus(202); // again: still CANCELLED

        api.runFanout();

        assertThat(api.drainQueue()).as("no message for the cancelled export").containsExactly(other);
        assertThat(api.repo().find(cancelled).orElseThrow().status()).isEqualTo(ExportStatus.CANCELLED);
        var status = api.call("GET", reply.headers().get("Location"), "bob").assertStatus(200).json();
        assertThat(status.at("/counts/CANCELLED").asInt()).isEqualTo(1);
        assertThat(status.at("/counts/QUEUED").asInt()).isEqualTo(1);
    }

    @Test
    void batchStatus_shouldCountByStatus() {
        var reply = api.call("POST", "/usecases/uc-a/log-exports", "bob",
                "{\"trainingIds\":[\"mix-1\",\"mix-2\",\"mix-3\"]}").assertStatus(202);
        String batchId = reply.text("/batchId");
        JsonNode exports = reply.json().get("exports");
        api.runFanout();
        api.succeed(exports.get(0).get("exportId").asText(), "mix-1.log", "line\n");
        api.call("DELETE", "/log-exports/" + exports.get(1).get("exportId").asText(), "bob").assertStatus(202);

        var status = api.call("GET", "/log-export-batches/" + batchId, "alice").assertStatus(200);
        assertThat(status.json().at("/counts/SUCCEEDED").asInt()).isEqualTo(1);
        assertThat(status.json().at("/counts/CANCELLED").asInt()).isEqualTo(1);
        assertThat(status.json().at("/counts/QUEUED").asInt()).isEqualTo(1);
        assertThat(status.json().at("/total").asInt()).isEqualTo(3);
    }

    @Test
    void everyBatchAnswered202_shouldBeReadable_evenWhenItCreatedNoExport() {
        var invalid = api.call("POST", "/usecases/uc-a/log-exports", "alice",
                "{\"trainingIds\":[\"bad/1\",\"-bad2\",7]}").assertStatus(202);
        var none = api.call("GET", invalid.headers().get("Location"), "bob").assertStatus(200).json();
        assertThat(none.at("/total").asInt()).isZero();
        assertThat(none.at("/requested").asInt()).isEqualTo(3);
        assertThat(none.at("/counts/QUEUED").asInt()).isZero();
        assertThat(none.get("exports")).isEmpty();
        assertThat(none.get("errors")).hasSize(3);
        assertThat(none.at("/errors/0/trainingId").asText()).isEqualTo("bad/1");
        assertThat(none.at("/errors/0/error/code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(none.at("/errors/2/trainingId").isNull()).as("a non-string id").isTrue();

        var mixed = api.call("POST", "/usecases/uc-a/log-exports", "alice",
                "{\"trainingIds\":[\"mixed-1\",\"bad/2\"]}").assertStatus(202);
        var status = api.call("GET", mixed.headers().get("Location"), "alice").assertStatus(200).json();
        assertThat(status.at("/total").asInt()).isEqualTo(1);
        assertThat(status.at("/counts/QUEUED").asInt()).isEqualTo(1);
        assertThat(status.at("/exports/0/exportId").asText()).isEqualTo(mixed.text("/exports/0/exportId"));
        assertThat(status.get("errors")).hasSize(1);

        api.call("GET", mixed.headers().get("Location"), "carol").assertError(404, "NOT_FOUND");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "carol | POST | /usecases/uc-a/log-exports  | {\"trainingIds\":[\"x\"]}          | 403 | ACCESS_DENIED",
            "alice | POST | /usecases/uc-nope/log-exports | {\"trainingIds\":[\"x\"]}        | 404 | NOT_FOUND",
            "alice | POST | /usecases/uc-a/log-exports  | {\"trainingIds\":[]}               | 400 | INVALID_REQUEST",
            "alice | POST | /usecases/uc-a/log-exports  | {\"trainingIds\":[\"x\"],\"who\":1} | 400 | INVALID_REQUEST",
            "alice | GET  | /log-export-batches/bat-0123456789abcdefghjkmnpqrs |              | 404 | NOT_FOUND"})
    void batch_shouldBeRejectedAsAWhole_forNonMembersUnknownUseCasesAndBadBodies(String user, String method,
                                                                                  String path, String body,
                                                                                  int status, String code) {
        api.call(method, path, user, body).assertError(status, code);
    }
}
