package com.mlplatform.logexport.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reconciler's FAILED is a terminal state it writes: it counts it and puts its completion event. */
class ReconcilerCompletionsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ReconcilerWorld world = new ReconcilerWorld();

    @Test
    void exportFailedByTheReconciler_publishesOneFailedEvent_andCountsTheFailInTheRunMetrics() {
        ExportJob job = world.queued(T0.minus(Duration.ofDays(2)));

        world.run(T0);

        assertThat(world.events.published()).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo(job.exportId() + ":FAILED");
            assertThat(e.status()).isEqualTo(ExportStatus.FAILED);
            assertThat(e.errorCode()).isEqualTo("INTERNAL");
            assertThat(e.trainingId()).isEqualTo(job.trainingId());
        });
        List<JsonNode> lines = metricLines();
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("ExportsFinished").asLong()).isEqualTo(1);
            assertThat(l.path("Status").asText()).isEqualTo("FAILED");
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("ReconcilerFails").asLong()).isEqualTo(1);
            assertThat(l.path("ReconcilerRedrives").asLong()).isZero();
        });
    }

    @Test
    void failThatLostTheRace_publishesNothing() {
        ExportJob job = world.queued(T0.minus(Duration.ofDays(2)));
        world.exports.beforeFail(() -> world.touch(job, T0));

        world.run(T0.plusSeconds(1));

        assertThat(world.events.published()).as("the record was not failed, so nothing finished").isEmpty();
    }

    @Test
    void redrive_isCountedInTheRunMetrics_withoutAnEvent() {
        world.queued(T0);

        world.run(T0.plusSeconds(901));

        assertThat(world.events.published()).isEmpty();
        assertThat(metricLines()).anySatisfy(l -> assertThat(l.path("ReconcilerRedrives").asLong()).isEqualTo(1));
    }

    private List<JsonNode> metricLines() {
        return world.metrics.toString(StandardCharsets.UTF_8).lines().map(Json::tree).toList();
    }

}
