package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.local.seed.SeedFile;
import com.mlplatform.logexport.local.seed.SeedLoader;
import com.mlplatform.logexport.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dev up --seed FILE}: a hand-written seed (relative, stream-relative and absolute timestamps, a host
 * given by name, any unicode) loads into a use-case account of its own, and an export through the local gateway
 * returns exactly its lines in time order. Also the gateway's edge behaviour: 401 without a dev identity, the
 * API's own 403 for a non-member.
 */
class SeedFileIT {

    @TempDir
    static Path dir;

    private static LocalPipeline stack;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static Instant absolute;

    @BeforeAll
    static void start() throws IOException {
        absolute = Instant.now().minus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.MILLIS);
        Path seed = dir.resolve("customer-bug.json");
        Files.writeString(seed, """
                {
                  "version": 1,
                  "description": "Reproduces a customer's log shape",
                  "users": [{"id": "zoe", "name": "Zoë (reporter)"}, {"id": "mallory"}],
                  "usecases": [{
                    "id": "acme-vision",
                    "accountId": "333333333333",
                    "externalId": "acme-ext",
                    "members": ["zoe"],
                    "trainingJobs": [{
                      "name": "vision-ablation-7",
                      "streams": [
                        {"host": "algo-1", "startedAt": "-1h", "events": [
                          {"at": "+1s", "message": "损失 loss=0.25 ✓ 🚀"},
                          {"at": "+30m", "message": "שלום e\\u0301 ﬁ \\t tab"}
                        ]},
                        {"name": "vision-ablation-7/algo-2-1700000000", "events": [
                          {"at": "-45m", "message": "algo-2 first\\n  second line of the same event"},
                          {"at": "%s", "message": "algo-2 at an absolute time"}
                        ]}
                      ]
                    }]
                  }]
                }
                """.formatted(absolute));
        stack = LocalPipeline.start(LocalPipeline.Options.defaults().withPort(0).withSeed(seed),
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String user) throws Exception {
        var b = HttpRequest.newBuilder(stack.baseUri().resolve(path)).method(method,
                HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            b.header("X-Dev-User", user);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void scenario_shouldListTheSeedsUsersUseCasesAndResolvedStreams() throws Exception {
        JsonNode scenario = Json.MAPPER.readTree(call("GET", "/local/scenario", null).body());

        assertThat(scenario.path("users").findValuesAsText("id")).containsExactly("zoe", "mallory");
        JsonNode job = scenario.path("usecases").get(0).path("trainingJobs").get(0);
        assertThat(job.path("events").asLong()).isEqualTo(4);
        assertThat(job.path("streams").get(0).asText()).matches("vision-ablation-7/algo-1-\\d{10}");
        assertThat(job.path("streams").get(1).asText()).isEqualTo("vision-ablation-7/algo-2-1700000000");
    }

    @Test
    void export_shouldReturnExactlyTheSeededLines_inTimeOrder() throws Exception {
        var created = call("POST", "/usecases/acme-vision/trainings/vision-ablation-7/log-exports", "zoe");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String exportId = Json.MAPPER.readTree(created.body()).path("exportId").asText();

        JsonNode[] status = new JsonNode[1];
        TestTime.await("the export to finish", Duration.ofSeconds(60)).until(() -> {
            status[0] = Json.MAPPER.readTree(call("GET", "/log-exports/" + exportId, "zoe").body());
            return !status[0].path("status").asText().matches("QUEUED|RUNNING");
        });
        assertThat(status[0].path("status").asText()).as(status[0].toString()).isEqualTo("SUCCEEDED");
        String file = HTTP.send(HttpRequest.newBuilder(URI.create(status[0].path("download").path("url").asText()))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();

        String[] inOrder = {"损失 loss=0.25 ✓ 🚀", "algo-2 first", "second line of the same event",
            "algo-2 at an absolute time", "שלום e\u0301 ﬁ \t tab"};
        int at = -1;
        for (String line : inOrder) {
            int next = file.indexOf(line);
            assertThat(next).as("'%s' after the previous line in:%n%s", line, file).isGreaterThan(at);
            at = next;
        }
        assertThat(file).contains(absolute.toString());
    }

    @Test
    void gateway_shouldRefuseCallsWithoutIdentity_andPassTheApisRefusalOfANonMember() throws Exception {
        var anonymous = call("POST", "/usecases/acme-vision/trainings/vision-ablation-7/log-exports", null);
        var stranger = call("POST", "/usecases/acme-vision/trainings/vision-ablation-7/log-exports", "mallory");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(stranger.body()).path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void aSeedWithEventsOlderThan14Days_shouldBeRefused_withWhatToDo() throws IOException {
        Path old = dir.resolve("old.json");
        Files.writeString(old, """
                {"usecases":[{"id":"u","accountId":"444444444444","trainingJobs":[{"name":"j","streams":[
                  {"host":"algo-1","startedAt":"-15d","events":[{"at":"+1s","message":"too old"}]}]}]}]}""");

        assertThatCode(() -> SeedFile.read(old)).as("the file itself is well-formed").doesNotThrowAnyException();
        var loader = new SeedLoader(stack.platform().emulator(), stack.clients(), stack.platform().resources());
        assertThatThrownBy(() -> loader.load(SeedFile.read(old), Instant.now()))
                .isInstanceOf(SeedFile.SeedException.class)
                .hasMessageContaining("older than 14 days")
                .hasMessageContaining("-2h");
    }
}
