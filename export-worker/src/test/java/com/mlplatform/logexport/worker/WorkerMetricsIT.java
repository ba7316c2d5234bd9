package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.shared.events.RecordingCompletionEvents;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.metrics.MetricsLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The EMF lines the worker handler writes for whole exports on the emulator, read back as CloudWatch would:
 * metric names, units and dimensions from each line's {@code _aws} directive, and never an id in a dimension.
 */
class WorkerMetricsIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final RecordingCompletionEvents events = new RecordingCompletionEvents();

    private ExportWorkerHandler handler() {
        return new ExportWorkerHandler(fx.setup()
                .withMetrics(new MetricsLog(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC()))
                .withEvents(events));
    }

    @Test
    void succeededExport_writesFinishedDurationQueueBytesEventsAndPages_withLowCardinalityDimensionsOnly() {
        String training = "metrics-ok-1";
        long t0 = System.currentTimeMillis() - 60_000;
        try (var seeder = fx.seeder()) {
            seeder.putEvents(WorkerFixture.LOG_GROUP, training + "/algo-1-1700000000",
                    List.of(new Event(t0, "epoch 1"), new Event(t0 + 10, "epoch 2")));
        }
        ExportJob job = fx.createJob(training, ExportOptions.DEFAULT);

        fx.runToCompletion(handler(), WorkerFixture.start(job), 60_000);

        assertThat(fx.job(job.exportId()).status()).isEqualTo(ExportStatus.SUCCEEDED);
        Map<String, Emf> metrics = metrics();
        assertThat(metrics.get("ExportsFinished")).isEqualTo(new Emf("Count",
                List.of(List.of(), List.of("Status"), List.of("Status", "ErrorCode")), 1));
        assertThat(metrics.get("ExportDuration").unit()).isEqualTo("Milliseconds");
        assertThat(metrics.get("TimeInQueue")).isEqualTo(new Emf("Milliseconds", List.of(List.of()),
                metrics.get("TimeInQueue").value()));
        assertThat(metrics.get("BytesWritten").unit()).isEqualTo("Bytes");
        assertThat(metrics.get("BytesWritten").value()).isEqualTo(fx.job(job.exportId()).result().sizeBytes());
        assertThat(metrics.get("EventsWritten")).isEqualTo(new Emf("Count", List.of(List.of()), 2));
        assertThat(metrics.get("Continuations")).isEqualTo(new Emf("Count", List.of(List.of()), 0));
        assertThat(metrics.get("PagesRead").value()).isPositive();
        assertThat(lines()).allSatisfy(l -> {
            assertThat(l.path("Status").asText("SUCCEEDED")).isEqualTo("SUCCEEDED");
            assertThat(l.toString()).as("no id of the export, training or user in a metric line")
                    .doesNotContain(job.exportId()).doesNotContain(training).doesNotContain(WorkerFixture.USER);
        });
        assertThat(events.published()).singleElement()
                .satisfies(e -> assertThat(e.eventId()).isEqualTo(job.exportId() + ":SUCCEEDED"));
    }

    @Test
    void failedExport_isCountedByStatusAndErrorCode() {
        ExportJob job = fx.createJob("metrics-no-logs-1", ExportOptions.DEFAULT);

        fx.runToCompletion(handler(), WorkerFixture.start(job), 60_000);

        JsonNode finished = lines().stream().filter(l -> l.has("ExportsFinished")).findFirst().orElseThrow();
        assertThat(finished.path("Status").asText()).isEqualTo("FAILED");
        assertThat(finished.path("ErrorCode").asText()).isEqualTo("NO_LOGS");
        assertThat(metrics()).doesNotContainKey("BytesWritten");
        assertThat(events.published()).singleElement().satisfies(e -> assertThat(e.errorCode()).isEqualTo("NO_LOGS"));
    }

    /** One metric as CloudWatch extracts it: its unit, its dimension sets, its value. */
    record Emf(String unit, List<List<String>> dimensions, long value) {
    }

    private Map<String, Emf> metrics() {
        Map<String, Emf> byName = new TreeMap<>();
        for (JsonNode line : lines()) {
            JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("LogExport");
            assertThat(line.path("_aws").path("Timestamp").isNumber()).isTrue();
            List<List<String>> sets = new ArrayList<>();
            directive.path("Dimensions").forEach(set -> {
                List<String> keys = new ArrayList<>();
                set.forEach(k -> {
                    keys.add(k.asText());
                    assertThat(line.path(k.asText()).isTextual()).as("dimension value " + k + " is a member").isTrue();
                });
                sets.add(keys);
            });
            directive.path("Metrics").forEach(m -> byName.put(m.path("Name").asText(), new Emf(
                    m.path("Unit").asText(), sets, line.path(m.path("Name").asText()).asLong())));
        }
        return byName;
    }

    private List<JsonNode> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().map(Json::tree).toList();
    }

}
