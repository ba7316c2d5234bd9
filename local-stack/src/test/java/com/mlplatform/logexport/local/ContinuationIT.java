package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An export longer than one invocation, through the local stack: with a 3 s worker timeout and a 2.5 s safety
 * margin each invocation has half a second of work, so the demo's 3-host job needs several hops. Each hop
 * checkpoints and sends a continuation to the same queue; the local event source delivers it like any message.
 */
class ContinuationIT {

    private static LocalStack stack;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0)
                        .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(10))
                        .withLambdaEnvironment(Map.of(WorkerConfig.ENV_SAFETY_MARGIN_SECONDS, "2",
                                WorkerConfig.ENV_PROGRESS_INTERVAL_SECONDS, "1")),
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
        Await.until("the export to finish", Duration.ofSeconds(180), () -> {
            try {
                status[0] = call("GET", "/log-exports/" + exportId);
                return !status[0].path("status").asText().matches("QUEUED|RUNNING");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        System.out.println("[ContinuationIT] worker " + stack.workerStats());
        assertThat(status[0].path("status").asText()).as(status[0].toString()).isEqualTo("SUCCEEDED");
        assertThat(stack.workerStats().invocations()).as("hops (invocations of the worker)").isGreaterThan(1);
        String file = HTTP.send(HttpRequest.newBuilder(URI.create(status[0].path("download").path("url").asText()))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        assertThat(file.lines().filter(l -> l.contains(" loss=")).count()).isEqualTo(3 * 10 * 120);
        assertThat(file).contains("# total events: 3677");
    }
}
