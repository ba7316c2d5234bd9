package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.shared.message.ExportMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** Start an export, see it queued, let a stand-in worker finish it, download it through the presigned URL. */
class ExportLifecycleIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    @Test
    void postExport_shouldQueueJobAndMessage_andStatusShouldPresignWhenSucceeded() throws Exception {
        var created = api.call("POST", "/usecases/uc-a/trainings/train-job-1/log-exports", "alice",
                "{\"format\":\"jsonl\"}").assertStatus(202);
        String exportId = created.text("/exportId");
        assertThat(created.text("/status")).isEqualTo("QUEUED");
        assertThat(created.text("/statusUrl")).isEqualTo("/log-exports/" + exportId);
        assertThat(created.headers()).containsEntry("Location", "/log-exports/" + exportId)
                .containsEntry("Access-Control-Allow-Origin", HttpApiEvents.ORIGIN);

        var repo = new ExportJobRepository(api.clients.dynamo(), api.resources.exportsTable());
        ExportJob job = repo.find(exportId).orElseThrow();
        assertThat(job.status()).isEqualTo(ExportStatus.QUEUED);
        assertThat(job.requestedBy()).isEqualTo("alice");
        assertThat(job.trainingId()).isEqualTo("train-job-1");

        var sqs = api.clients.sqs(); // owned by the harness's AwsClients: not closed here
        var messages = sqs.receiveMessage(r -> r.queueUrl(api.resources.queueUrl()).maxNumberOfMessages(10))
                .messages();
        assertThat(messages).extracting(m -> ExportMessage.parse(m.body()).exportId()).contains(exportId);

        var queued = api.call("GET", "/log-exports/" + exportId, "bob").assertStatus(200);
        assertThat(queued.text("/status")).isEqualTo("QUEUED");
        assertThat(queued.json().has("download")).isFalse();

        // Stand in for the worker: write the file and mark the job SUCCEEDED, as export-worker does.
        String key = "exports/" + exportId + "/train-job-1.jsonl";
        String content = "{\"message\":\"epoch 1 loss=0.5\"}\n";
        var s3 = api.clients.s3(); // owned by the harness's AwsClients: not closed here
        s3.putObject(r -> r.bucket(api.resources.bucket()).key(key), RequestBody.fromString(content));
        ExportJob running = repo.replace(job, withStatus(job, ExportStatus.RUNNING, null)).orElseThrow();
        repo.replace(running, withStatus(running, ExportStatus.SUCCEEDED, new ExportResult(api.resources.bucket(),
                key, "train-job-1 – logs.jsonl", "application/x-ndjson", content.length()))).orElseThrow();

        var done = api.call("GET", "/log-exports/" + exportId, "alice").assertStatus(200);
        assertThat(done.text("/status")).isEqualTo("SUCCEEDED");
        assertThat(done.text("/download/filename")).isEqualTo("train-job-1 – logs.jsonl");
        assertThat(done.json().at("/download/sizeBytes").asLong()).isEqualTo(content.length());
        assertThat(Instant.parse(done.text("/download/expiresAt"))).isAfter(Instant.now().plusSeconds(14 * 60));
        String url = done.text("/download/url");
        assertThat(url).contains("response-content-disposition");

        var http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.body()).isEqualTo(content);
        assertThat(http.headers().firstValue("content-disposition")).hasValueSatisfying(cd -> assertThat(cd)
                .startsWith("attachment; filename=\"train-job-1 _ logs.jsonl\"")
                .contains("filename*=UTF-8''train-job-1%20%E2%80%93%20logs.jsonl"));
    }

    @Test
    void gzipCompression_isKeptOnSingleAndBatchExports_andAnUnknownValueIs400NamingTheField() {
        assertThat(api.call("POST", "/usecases/uc-a/trainings/train-job-3/log-exports", "alice",
                "{\"compression\":\"zip\"}").assertError(400, "INVALID_REQUEST").text("/error/message"))
                .isEqualTo("compression must be \"none\" or \"gzip\".");
        var repo = new ExportJobRepository(api.clients.dynamo(), api.resources.exportsTable());

        String single = api.call("POST", "/usecases/uc-a/trainings/train-job-3/log-exports", "alice",
                "{\"compression\":\"gzip\"}").assertStatus(202).text("/exportId");
        String batched = api.call("POST", "/usecases/uc-a/log-exports", "alice",
                "{\"trainingIds\":[\"train-job-4\"],\"compression\":\"gzip\"}").assertStatus(202)
                .text("/exports/0/exportId");
        assertThat(api.call("GET", "/log-exports/" + batched, "alice").assertStatus(200).text("/options/compression"))
                .as("before the fan-out too").isEqualTo("gzip");
        api.runFanout();

        for (String id : new String[] {single, batched}) {
            assertThat(repo.find(id).orElseThrow().options().compression()).isEqualTo(ExportCompression.GZIP);
            assertThat(api.call("GET", "/log-exports/" + id, "alice").assertStatus(200).text("/options/compression"))
                    .isEqualTo("gzip");
        }
    }

    @Test
    void nonMember_shouldGet403_whenStartingAnExport() {
        api.call("POST", "/usecases/uc-a/trainings/train-job-1/log-exports", "carol")
                .assertError(403, "ACCESS_DENIED");
    }

    @Test
    void memberOfB_shouldGet404_whenPollingAnExportOfA() {
        String exportId = api.call("POST", "/usecases/uc-a/trainings/train-job-2/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        api.call("GET", "/log-exports/" + exportId, "carol").assertError(404, "NOT_FOUND");
    }

    private static ExportJob withStatus(ExportJob j, ExportStatus status, ExportResult result) {
        return new ExportJob(j.exportId(), j.usecaseId(), j.trainingId(), j.requestedBy(), j.options(), status,
                j.createdAt(), Instant.now(), j.batchId(), new Progress(1, status == ExportStatus.SUCCEEDED ? 1 : 0,
                1, 30), null, result, null, j.version());
    }
}
