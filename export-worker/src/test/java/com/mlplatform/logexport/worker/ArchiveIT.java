package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.emulator.lambda.SteppingClock;
import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.archive.ArchiveMember;
import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A batch's archive built by the real handler on the emulator, from exports the worker itself produced: every
 * entry byte for byte its export's object, the manifest's figures those of the export records, the same bytes
 * over many invocations as in one, and one archive however often its message is delivered.
 */
class ArchiveIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();

    /** The exports of the batch, as their records stand once finished; two share a download name. */
    static final List<ExportJob> members = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void exportTheBatch() {
        seed("arc-large-1", 3, 14_000, 150); // > 5 MiB: the archive's first part fills and a second follows
        seed("arc-small-1", 2, 200, 20);
        seed("arc-gzip-1", 2, 3_000, 60);
        List<ExportJob> jobs = List.of(
                fx.createJob("arc-large-1", ExportOptions.DEFAULT),
                fx.createJob("arc-small-1", ExportOptions.DEFAULT),
                fx.createJob("arc-small-1", new ExportOptions(ExportFormat.JSONL, null, null)),
                fx.createJob("arc-gzip-1", ExportOptions.DEFAULT.withCompression(ExportCompression.GZIP)),
                fx.createJob("arc-no-logs-1", ExportOptions.DEFAULT));
        for (ExportJob job : jobs) {
            fx.runToCompletion(fx.handler(), WorkerFixture.start(job), 900_000);
            members.add(fx.job(job.exportId()));
        }
        members.add(incompressibleExport("arc-big-gzip-1", 11 << 20));
        assertThat(members).extracting(ExportJob::status).containsExactly(ExportStatus.SUCCEEDED,
                ExportStatus.SUCCEEDED, ExportStatus.SUCCEEDED, ExportStatus.SUCCEEDED, ExportStatus.FAILED,
                ExportStatus.SUCCEEDED);
    }

    /**
     * A finished gzip export of {@code size} random bytes, stored as the worker stores one: text logs deflate ~8x,
     * so this is what makes the archive span three 5 MiB parts without exporting 100 MB of logs on the emulator.
     */
    private static ExportJob incompressibleExport(String training, int size) {
        ExportJob queued = fx.createJob(training, ExportOptions.DEFAULT.withCompression(ExportCompression.GZIP));
        String filename = ExportKeys.filename(queued);
        String key = ExportKeys.objectKey(queued);
        byte[] bytes = new byte[size];
        new java.util.Random(11).nextBytes(bytes);
        fx.s3.putObject(r -> r.bucket(fx.platform.resources().bucket()).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
        ExportJob running = fx.jobs.replace(queued, with(queued, ExportStatus.RUNNING, null)).orElseThrow();
        return fx.jobs.replace(running, with(running, ExportStatus.SUCCEEDED, new ExportResult(
                fx.platform.resources().bucket(), key, filename, "application/gzip", size))).orElseThrow();
    }

    private static ExportJob with(ExportJob j, ExportStatus status, ExportResult result) {
        return new ExportJob(j.exportId(), j.usecaseId(), j.trainingId(), j.requestedBy(), j.options(), status,
                j.createdAt(), Instant.now(), null, new Progress(1, 1, 50_000, j.progress().bytes()), null, result,
                null, j.version());
    }

    private static void seed(String training, int hosts, int eventsPerHost, int padding) {
        long t0 = System.currentTimeMillis() - 6 * 3_600_000L;
        try (var seeder = fx.seeder()) {
            for (int h = 1; h <= hosts; h++) {
                List<Event> events = new ArrayList<>(eventsPerHost);
                for (int i = 0; i < eventsPerHost; i++) {
                    events.add(new Event(t0 + i * 40L + h, "[rank " + h + "] step " + i + " loss=0."
                            + (i * 7919 % 10_000) + " " + "q".repeat(i % padding)));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-" + h + "-1700000000", events);
            }
        }
    }

    @Test
    void archive_holdsEverySucceededExportByteForByte_andTheManifestsFigures() throws Exception {
        ExportJob archive = requestArchive();

        int invocations = fx.runToCompletion(fx.handler(), WorkerFixture.start(archive), 900_000);

        ExportJob done = fx.job(archive.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(invocations).isEqualTo(1);
        String batchId = archive.trainingId();
        assertThat(done.result().filename()).isEqualTo(WorkerFixture.USECASE + "-batch-" + batchId + ".zip");
        assertThat(done.result().contentType()).isEqualTo("application/zip");
        var head = fx.s3.headObject(r -> r.bucket(fx.platform.resources().bucket()).key(done.result().key()));
        assertThat(head.contentDisposition()).contains(done.result().filename());
        assertThat(head.contentLength()).isEqualTo(done.result().sizeBytes());
        byte[] zip = fx.object(done.result().key());

        Map<String, byte[]> entries = unzip(zip);
        List<ExportJob> succeeded = members.stream().filter(j -> j.status() == ExportStatus.SUCCEEDED).toList();
        assertThat(entries).hasSize(1 + succeeded.size());
        assertThat(entries.keySet().iterator().next()).as("manifest first").isEqualTo("manifest.json");
        JsonNode manifest = Json.MAPPER.readTree(entries.get("manifest.json"));
        assertThat(manifest.get("batchId").asText()).isEqualTo(batchId);
        assertThat(manifest.get("archived").asInt()).isEqualTo(succeeded.size());
        assertThat(manifest.get("notArchived").asInt()).isEqualTo(2);
        assertThat(zip.length).as("three 5 MiB parts at least").isGreaterThan(10 << 20);
        for (ExportJob member : members) {
            JsonNode line = lineOf(manifest, member.exportId());
            assertThat(line.get("trainingId").asText()).isEqualTo(member.trainingId());
            assertThat(line.get("status").asText()).isEqualTo(member.status().name());
            if (member.status() == ExportStatus.SUCCEEDED) {
                String file = line.get("file").asText();
                byte[] original = fx.object(member.result().key());
                assertThat(entries.get(file)).as("entry %s is its export's object", file).isEqualTo(original);
                assertThat(line.get("sizeBytes").asLong()).isEqualTo(original.length)
                        .isEqualTo(member.result().sizeBytes());
                assertThat(line.get("events").asLong()).isEqualTo(member.progress().events()).isPositive();
            } else {
                assertThat(line.get("error").get("code").asText()).isEqualTo(member.error().code().name());
                assertThat(line.has("file")).isFalse();
            }
        }
        JsonNode rejected = lineOfTraining(manifest, "not/valid");
        assertThat(rejected.get("status").asText()).isEqualTo(ArchiveMember.REJECTED);
        assertThat(rejected.get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(entries.keySet()).as("names are the exports' download names, made unique").containsAll(
                succeeded.stream().map(j -> j.result().filename()).filter(n -> !n.startsWith("arc-small-1")
                        || n.endsWith(".jsonl")).toList());
        assertThat(fx.openUploads(done)).isZero();
        assertThat(fx.keys()).as("working objects deleted")
                .noneMatch(k -> k.startsWith(ExportKeys.workPrefix(done.usecaseId(), done.exportId())));
    }

    @Test
    void steppingClock_buildsTheSameBytesOverManyInvocations_asInOne() {
        ExportJob archive = requestArchive();
        fx.runToCompletion(fx.handler(), WorkerFixture.start(archive), 900_000);
        ExportJob once = fx.job(archive.exportId());
        byte[] uninterrupted = fx.object(once.result().key());

        // The same archive requested again from scratch: object and record back to what the API created.
        fx.s3.deleteObject(r -> r.bucket(fx.platform.resources().bucket()).key(once.result().key()));
        fx.clients.dynamo().deleteItem(r -> r.tableName(fx.platform.resources().exportsTable())
                .key(Map.of("exportId", AttributeValue.fromS(archive.exportId()))));
        fx.jobs.create(archive);
        WorkerConfig tiny = fx.config().withSafetyMargin(Duration.ofSeconds(2));
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        ExportWorkerHandler stepping = new ExportWorkerHandler(WorkerSetup.of(fx.clients, tiny)
                .withClock(new SteppingClock(Duration.ofSeconds(5))).withLog(log.log()));

        int invocations = fx.runToCompletion(stepping, WorkerFixture.start(archive), 60_000);

        ExportJob resumed = fx.job(archive.exportId());
        assertThat(resumed.status()).as("error: %s", resumed.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(invocations).as("several continuations").isGreaterThanOrEqualTo(4);
        assertThat(log.count("export_paused")).isEqualTo(invocations - 1);
        assertThat(fx.object(resumed.result().key())).as("byte-identical after %d invocations", invocations)
                .isEqualTo(uninterrupted);
        assertThat(resumed.result()).isEqualTo(once.result());
        assertThat(fx.openUploads(resumed)).isZero();
        assertThat(fx.keys()).noneMatch(k -> k.startsWith(ExportKeys.workPrefix(archive.usecaseId(),
                archive.exportId())));
    }

    @Test
    void sameMessageThreeTimesAtOnce_andOnceMoreLater_buildOneArchive() throws Exception {
        ExportJob archive = requestArchive();
        WorkerFixture.LogSink log = new WorkerFixture.LogSink();
        String body = ExportMessage.start(archive.exportId()).toJson();

        List<SQSBatchResponse> responses = fx.concurrently(log, fx.config(), body, body, body);
        fx.runToCompletion(fx.handler(fx.config(), log), WorkerFixture.event(), 900_000);
        ExportJob done = fx.job(archive.exportId());
        fx.handler(fx.config(), log).handleRequest(WorkerFixture.event(body),
                CountdownContext.ofMillis("export-worker", 900_000));

        assertThat(responses).allSatisfy(r -> assertThat(r.getBatchItemFailures()).isEmpty());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(fx.job(archive.exportId())).as("the late copy writes nothing").isEqualTo(done);
        assertThat(log.count("export_succeeded")).as("exactly one delivery built it").isEqualTo(1);
        assertThat(fx.keys().stream().filter(k -> k.startsWith(ExportKeys.exportPrefix(archive.usecaseId(),
                archive.exportId())))).hasSize(1);
        assertThat(fx.openUploads(done)).as("no second upload left behind").isZero();
        assertThat(unzip(fx.object(done.result().key()))).hasSize(6);
    }

    /** What the request API writes for POST /log-export-batches/{batchId}/archive: the snapshot, then the job. */
    private static ExportJob requestArchive() {
        String batchId = ExportIds.newBatchId();
        List<ArchiveMember> snapshot = new ArrayList<>();
        members.forEach(j -> snapshot.add(ArchiveMember.of(j)));
        snapshot.add(ArchiveMember.rejected("not/valid", "INVALID_REQUEST", "trainingId is not valid"));
        Instant now = Instant.now();
        var item = new ArchiveMembers(batchId, WorkerFixture.USECASE, snapshot)
                .toItem(now.plus(ExportJobRepository.RETENTION)).orElseThrow();
        fx.clients.dynamo().putItem(r -> r.tableName(fx.platform.resources().exportsTable()).item(item));
        ExportJob job = ArchiveIds.queuedJob(batchId, WorkerFixture.USECASE, WorkerFixture.USER, now);
        assertThat(fx.jobs.create(job)).isTrue();
        return job;
    }

    private Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Path file = Files.createTempFile(dir, "archive", ".zip");
        Files.write(file, zip);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
            for (ZipEntry e : Collections.list(z.entries())) {
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return entries;
    }

    private static JsonNode lineOf(JsonNode manifest, String exportId) {
        for (JsonNode line : manifest.get("exports")) {
            if (line.has("exportId") && line.get("exportId").asText().equals(exportId)) {
                return line;
            }
        }
        throw new AssertionError("no manifest line for " + exportId);
    }

    private static JsonNode lineOfTraining(JsonNode manifest, String trainingId) {
        for (JsonNode line : manifest.get("exports")) {
            if (line.get("trainingId").asText().equals(trainingId)) {
                return line;
            }
        }
        throw new AssertionError("no manifest line for " + trainingId);
    }
}
