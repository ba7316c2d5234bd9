package com.mlplatform.logexport.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.events.ExportFinished;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportMetricsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ExportMetrics metrics = new ExportMetrics(new MetricsLog(
            new PrintStream(out, true, StandardCharsets.UTF_8), Clock.fixed(T0, ZoneOffset.UTC)));

    @Test
    void finished_writesOneEmfDocument_withCountAndDuration_underTotalStatusAndErrorCode() throws IOException {
        ExportJob job = ExportJob.queued("exp-1", "uc-secret", "train-secret", "alice", ExportOptions.DEFAULT,
                "bat-1", T0.minusSeconds(90));

        metrics.finished(ExportFinished.of(job, ExportStatus.FAILED, new JobError(ErrorCode.NO_LOGS, "none", null),
                T0), job.createdAt());

        JsonNode line = only();
        assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(T0.toEpochMilli());
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("LogExport");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[],[\"Status\"],[\"Status\",\"ErrorCode\"]]");
        assertThat(directive.path("Metrics").toString()).isEqualTo("[{\"Name\":\"ExportsFinished\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"ExportDuration\",\"Unit\":\"Milliseconds\"}]");
        assertThat(line.path("ExportsFinished").asLong()).isEqualTo(1);
        assertThat(line.path("ExportDuration").asLong()).isEqualTo(90_000);
        assertThat(line.path("Status").asText()).isEqualTo("FAILED");
        assertThat(line.path("ErrorCode").asText()).isEqualTo("NO_LOGS");
        assertThat(line.toString()).as("no ids in metrics").doesNotContain("exp-1", "uc-secret", "train-secret",
                "alice", "bat-1");
    }

    @Test
    void succeededExport_hasErrorCodeNone_soEveryDimensionSetHasItsValues() throws IOException {
        ExportJob job = ExportJob.queued("exp-2", "uc", "train", "bob", ExportOptions.DEFAULT, null, T0);

        metrics.finished(ExportFinished.of(job, ExportStatus.CANCELLED, null, T0), T0);

        assertThat(only().path("ErrorCode").asText()).isEqualTo(ExportMetrics.NO_ERROR);
    }

    @Test
    void retried_isCountedByServiceAndKind() throws IOException {
        metrics.retried("CloudWatchLogs", "THROTTLED");

        JsonNode line = only();
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[\"AwsService\"],[\"AwsService\",\"Kind\"]]");
        assertThat(line.path("AwsRetries").asLong()).isEqualTo(1);
        assertThat(line.path("AwsService").asText()).isEqualTo("CloudWatchLogs");
    }

    @Test
    void nothingAccepted_writesNothing() {
        metrics.accepted(true, 0);
        metrics.pagesRead(0);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void dimensionSet_naming_aKeyWithoutValue_isRefused() {
        assertThatThrownBy(() -> new MetricsLog.Dimensions(Map.of("Status", "FAILED"),
                List.of(List.of("Status", "ErrorCode")))).isInstanceOf(IllegalArgumentException.class);
    }

    private JsonNode only() throws IOException {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        return Json.MAPPER.readTree(lines.get(0));
    }
}
