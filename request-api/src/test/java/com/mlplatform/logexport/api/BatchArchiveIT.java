package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.archive.ArchiveMember;
import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.json.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /log-export-batches/{batchId}/archive and the batch status's archive, through the real handler. */
class BatchArchiveIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    @Test
    void archive_isRefusedWhileExportsRun_thenQueuedOnce_andLinkedWhenBuilt() throws Exception {
        api.drainQueue();
        String batchId = batch("alice", "arch-one-1", "arch-two-1", "not/valid");
        List<String> exportIds = api.drainQueue();
        assertThat(exportIds).hasSize(2);
        String path = "/log-export-batches/" + batchId + "/archive";

        var early = api.call("POST", path, "alice").assertError(409, "CONFLICT");
        assertThat(early.text("/error/message")).startsWith("2 of the batch's 2 exports have not finished");
        api.call("POST", path, "carol").assertError(404, "NOT_FOUND");
        api.call("POST", "/log-export-batches/bat-" + "0".repeat(26) + "/archive", "alice")
                .assertError(404, "NOT_FOUND");

        exportIds.forEach(id -> api.succeed(id, id + ".log", "log of " + id + "\n"));
        var first = api.call("POST", path, "alice").assertStatus(202);
        var second = api.call("POST", path, "bob").assertStatus(202);

        String archiveId = ArchiveIds.archiveIdOf(batchId);
        assertThat(first.headers()).containsEntry("Location", "/log-export-batches/" + batchId);
        assertThat(first.text("/archive/status")).isEqualTo("QUEUED");
        assertThat(second.json().get("archive")).as("the same archive, not a second one")
                .isEqualTo(first.json().get("archive"));
        assertThat(api.drainQueue()).as("its start message, sent again while it is QUEUED")
                .containsExactly(archiveId, archiveId);
        ArchiveMembers snapshot = ArchiveMembers.fromItem(api.clients.dynamo().getItem(g -> g
                .tableName(api.resources.exportsTable()).consistentRead(true)
                .key(ArchiveMembers.key(batchId))).item()).orElseThrow();
        assertThat(snapshot.members()).extracting(ArchiveMember::trainingId)
                .containsExactly("arch-one-1", "arch-two-1", "not/valid");
        assertThat(snapshot.members()).extracting(ArchiveMember::status)
                .containsExactly("SUCCEEDED", "SUCCEEDED", ArchiveMember.REJECTED);
        var queued = api.call("GET", "/log-export-batches/" + batchId, "bob").assertStatus(200);
        assertThat(queued.text("/archive/status")).isEqualTo("QUEUED");
        assertThat(queued.json().at("/total").asInt()).as("the archive is no export of the batch").isEqualTo(2);

        String filename = "uc-a-batch-" + batchId + ".zip";
        api.succeed(archiveId, filename, "PK-not-really-a-zip");
        var built = api.call("POST", path, "alice").assertStatus(200);
        var status = api.call("GET", "/log-export-batches/" + batchId, "alice").assertStatus(200);

        assertThat(built.text("/archive/status")).isEqualTo("SUCCEEDED");
        JsonNode download = status.json().at("/archive/download");
        assertThat(download.get("filename").asText()).isEqualTo(filename);
        String url = download.get("url").asText();
        assertThat(URLDecoder.decode(url, StandardCharsets.UTF_8))
                .contains("response-content-disposition=attachment; filename=\"" + filename + "\"");
        HttpResponse<String> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("PK-not-really-a-zip");
        assertThat(api.drainQueue()).as("a built archive is not queued again").isEmpty();
    }

    @Test
    void failedArchive_isStartedAgain_byTheNextRequest() {
        api.drainQueue();
        String batchId = batch("alice", "arch-retry-1");
        String exportId = api.drainQueue().get(0);
        api.succeed(exportId, "f.log", "x\n");
        String path = "/log-export-batches/" + batchId + "/archive";
        api.call("POST", path, "alice").assertStatus(202);
        String archiveId = ArchiveIds.archiveIdOf(batchId);
        ExportJob queued = api.repo().find(archiveId).orElseThrow();
        api.repo().finishIfActive(archiveId, ExportStatus.FAILED,
                new JobError(ErrorCode.NOT_FOUND, "gone", null), queued.createdAt());
        api.drainQueue();
        assertThat(api.call("GET", "/log-export-batches/" + batchId, "bob").text("/archive/status"))
                .isEqualTo("FAILED");

        var again = api.call("POST", path, "bob").assertStatus(202);

        assertThat(again.text("/archive/status")).isEqualTo("QUEUED");
        assertThat(api.repo().find(archiveId).orElseThrow().requestedBy()).isEqualTo("bob");
        assertThat(api.drainQueue()).containsExactly(archiveId);
    }

    @Test
    void batchWithoutASucceededExport_hasNothingToArchive() {
        api.drainQueue();
        String batchId = batch("alice", "arch-none-1");
        String exportId = api.drainQueue().get(0);
        api.repo().finishIfActive(exportId, ExportStatus.FAILED, new JobError(ErrorCode.NO_LOGS, "none", null),
                java.time.Instant.now());

        var reply = api.call("POST", "/log-export-batches/" + batchId + "/archive", "alice")
                .assertError(409, "CONFLICT");

        assertThat(reply.text("/error/message")).contains("nothing to archive");
        assertThat(api.call("GET", "/log-export-batches/" + batchId, "alice").json().has("archive")).isFalse();
    }

    /** A batch, fanned out: its jobs exist and their messages are on the export queue. */
    private static String batch(String user, String... trainingIds) {
        String batchId = api.call("POST", "/usecases/uc-a/log-exports", user,
                Json.write(Map.of("trainingIds", List.of(trainingIds)))).assertStatus(202).text("/batchId");
        api.runFanout();
        return batchId;
    }
}
