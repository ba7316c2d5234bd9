package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.events.RecordingCompletionEvents;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.metrics.MetricsLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request API writes CANCELLED, so it counts the cancel and puts its completion event (once, however often
 * the caller cancels); it counts accepted exports by kind. Metrics are read back from the EMF lines it writes.
 */
class CompletionsIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    private final RecordingCompletionEvents events = new RecordingCompletionEvents();
    private final ByteArrayOutputStream metrics = new ByteArrayOutputStream();

    @BeforeEach
    void recording() {
        api.handler = new RequestApiHandler(api.clients, api.config(), events,
                new MetricsLog(new PrintStream(metrics, true, StandardCharsets.UTF_8), Clock.systemUTC()));
    }

    @Test
    void cancel_putsOneCancelledEvent_evenWhenRepeated_andCountsItFinished() {
        String exportId = api.call("POST", "/usecases/uc-a/trainings/cancel-me-1/log-exports", "alice")
                .assertStatus(202).text("/exportId");

        api.call("DELETE", "/log-exports/" + exportId, "alice").assertStatus(202);
        api.call("DELETE", "/log-exports/" + exportId, "alice").assertStatus(202);

        assertThat(events.published()).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo(exportId + ":CANCELLED");
            assertThat(e.status()).isEqualTo(ExportStatus.CANCELLED);
            assertThat(e.trainingId()).isEqualTo("cancel-me-1");
            assertThat(e.detailJson()).doesNotContain("alice");
        });
        assertThat(lines()).anySatisfy(l -> {
            assertThat(l.path("ExportsAccepted").asLong()).isEqualTo(1);
            assertThat(l.path("Kind").asText()).isEqualTo("single");
        });
        assertThat(lines()).filteredOn(l -> l.has("ExportsFinished")).singleElement().satisfies(l -> {
            assertThat(l.path("Status").asText()).isEqualTo("CANCELLED");
            assertThat(l.toString()).doesNotContain(exportId).doesNotContain("alice").doesNotContain("cancel-me-1");
        });
    }

    @Test
    void batch_isCountedAsBatch_withTheNumberOfNewExports() {
        api.call("POST", "/usecases/uc-a/log-exports", "alice",
                "{\"trainingIds\":[\"batch-metrics-1\",\"batch-metrics-2\"]}").assertStatus(202);

        assertThat(lines()).anySatisfy(l -> {
            assertThat(l.path("ExportsAccepted").asLong()).isEqualTo(2);
            assertThat(l.path("Kind").asText()).isEqualTo("batch");
        });
        assertThat(events.published()).as("nothing finished").isEmpty();
    }

    private List<JsonNode> lines() {
        return metrics.toString(StandardCharsets.UTF_8).lines().map(Json::tree).toList();
    }

}
