package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.emulator.lambda.SteppingClock;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.worker.WorkerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An export longer than one invocation, through the local stack. Each hop checkpoints and sends a continuation to
 * the same queue; the local event source delivers it like any message.
 *
 * <p>The hop count does not depend on how loaded the machine is: the worker's clock gains {@link #STEP} at every
 * reading ({@link SteppingClock}), so an invocation's working budget (the {@link #WORKER_TIMEOUT} minus the
 * {@link #SAFETY_MARGIN}) lasts about {@value #BUDGET_READINGS} clock readings, far fewer than the demo's 3-host
 * job needs. Real time only adds to the clock, so a slow machine can add hops but never remove one.
 */
class ContinuationIT {

    /**
     * Large against the real time of an invocation (a second or two, a few on a loaded machine), so real time moves
     * the end of a hop by about one reading at most.
     */
    private static final Duration STEP = Duration.ofSeconds(3);
    private static final Duration WORKER_TIMEOUT = Duration.ofSeconds(120);
    /** Leaves about nine readings for stashing the open part, saving the checkpoint and sending the continuation. */
    private static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);
    /** (WORKER_TIMEOUT - SAFETY_MARGIN) / STEP: one invocation's work, in clock readings. */
    private static final long BUDGET_READINGS = 30;

    private static final List<SteppingClock> clocks = new CopyOnWriteArrayList<>();
    private static LocalPipeline stack;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        stack = LocalPipeline.start(LocalPipeline.Options.defaults().withPort(0)
                        // Visibility well above the timeout: a slow hop is never delivered twice meanwhile.
                        .withTimeouts(WORKER_TIMEOUT, WORKER_TIMEOUT.multipliedBy(3))
                        .withLambdaEnvironment(Map.of(WorkerConfig.ENV_SAFETY_MARGIN_SECONDS,
                                Long.toString(SAFETY_MARGIN.toSeconds()),
                                WorkerConfig.ENV_PROGRESS_INTERVAL_SECONDS, "5"))
                        .withWorkerClock(() -> {
                            var clock = new SteppingClock(STEP);
                            clocks.add(clock);
                            return clock;
                        }),
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode call(String method, String path) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(stack.baseUri().resolve(path)).header("X-Dev-User", "alice")
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void aLongExport_shouldContinueAcrossInvocations_andStillContainEveryLine() throws Exception {
        String exportId = call("POST", "/usecases/fraud-detection/trainings/fraud-transformer-dist-v3/log-exports")
                .path("exportId").asText();

        JsonNode[] status = new JsonNode[1];
        TestTime.await("the export to finish", Duration.ofSeconds(300)).until(() -> {
            status[0] = call("GET", "/log-exports/" + exportId);
            return !status[0].path("status").asText().matches("QUEUED|RUNNING");
        });

        long readings = clocks.stream().mapToLong(SteppingClock::readings).sum();
        System.out.println("[ContinuationIT] worker " + stack.workerStats() + ", clock readings " + readings);
        assertThat(status[0].path("status").asText()).as(status[0].toString()).isEqualTo("SUCCEEDED");
        // By construction, not by luck: the demo job takes about 90 readings of work (measured), three budgets'
        // worth, and each invocation stops working after at most BUDGET_READINGS of them (fewer when slow).
        assertThat(readings).as("clock readings of the whole export (the worker used the stepping clock)")
                .isGreaterThan(2 * BUDGET_READINGS);
        assertThat(stack.workerStats().invocations()).as("hops (invocations of the worker)")
                .isGreaterThanOrEqualTo(3);
        String file = HTTP.send(HttpRequest.newBuilder(URI.create(status[0].path("download").path("url").asText()))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        assertThat(file.lines().filter(l -> l.contains(" loss=")).count()).isEqualTo(3 * 10 * 120);
        assertThat(file).contains("# total events: 3677");
    }
}
