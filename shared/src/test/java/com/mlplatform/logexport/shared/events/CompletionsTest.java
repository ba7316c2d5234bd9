package com.mlplatform.logexport.shared.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.shared.metrics.MetricsLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CompletionsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final ExportJob JOB = ExportJob.queued("exp-1", "uc", "train", "alice", ExportOptions.DEFAULT,
            null, T0);

    private final ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    private Completions completions(CompletionEvents events) {
        return new Completions(events, new ExportMetrics(new MetricsLog(new PrintStream(metrics, true,
                StandardCharsets.UTF_8), Clock.systemUTC())), new StructuredLog("test", new PrintStream(logs, true,
                StandardCharsets.UTF_8)));
    }

    @Test
    void aBusThatRefusesTheEvent_neverFailsTheCaller_butIsLoggedWithTheEventId_andCounted() {
        Completions completions = completions(e -> {
            throw new IllegalStateException("bus down (test)");
        });

        completions.finished(ExportFinished.of(JOB, ExportStatus.CANCELLED, null, T0), T0);

        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("completion_event_not_put", "exp-1:CANCELLED");
        assertThat(metrics.toString(StandardCharsets.UTF_8)).contains("\"CompletionEventsNotPut\":1",
                "\"ExportsFinished\":1");
    }

    @Test
    void republish_putsTheSameEventId_withoutCountingTheExportAgain() {
        RecordingCompletionEvents events = new RecordingCompletionEvents();
        Completions completions = completions(events);
        ExportFinished event = ExportFinished.of(JOB, ExportStatus.CANCELLED, null, T0);

        completions.finished(event, T0);
        completions.republish(event);

        assertThat(events.published()).extracting(ExportFinished::eventId).containsExactly("exp-1:CANCELLED",
                "exp-1:CANCELLED");
        assertThat(metrics.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("ExportsFinished")))
                .hasSize(1);
    }

    @Test
    void detail_hasEveryField_nullsIncluded_andNeitherRequesterNorUrl() {
        String detail = ExportFinished.of(JOB, ExportStatus.CANCELLED, null, T0).detailJson();

        assertThat(detail).isEqualTo("{\"eventId\":\"exp-1:CANCELLED\",\"exportId\":\"exp-1\",\"usecaseId\":\"uc\","
                + "\"trainingId\":\"train\",\"status\":\"CANCELLED\",\"errorCode\":null,\"sizeBytes\":null,"
                + "\"eventCount\":0,\"batchId\":null,\"finishedAt\":\"2026-03-01T10:00:00Z\"}");
    }

    @Test
    void anActiveStatus_isNoCompletion() {
        assertThatThrownBy(() -> ExportFinished.of(JOB, ExportStatus.RUNNING, null, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
