package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.local.seed.SeedFile;
import com.mlplatform.logexport.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch of 1,000 training jobs end to end on the local stack: the 202 lists 1,000 export ids, the fan-out creates
 * and queues them, the worker exports every one. The batch page tells the truth all along: at every poll its total
 * is 1,000 and its counts add up to 1,000 (exports not fanned out yet count as QUEUED). Awaited, never timed: the
 * bound is only there so that a broken stack fails rather than hangs.
 */
class BatchOf1000IT {

    private static final int N = 1_000;
    private static final String USECASE = "bulk-sweep";

    @TempDir
    static Path dir;
    private static LocalPipeline stack;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path seed = dir.resolve("bulk-seed.json");
        Files.writeString(seed, Json.write(seed()));
        LocalPipeline.Options defaults = LocalPipeline.Options.defaults();
        stack = LocalPipeline.start(new LocalPipeline.Options(Optional.of(seed), 0, defaults.workerTimeout(),
                defaults.visibilityTimeout(), 4, Map.of()), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** One use case with 1,000 small training jobs, one stream of three lines each. */
    private static SeedFile seed() {
        List<SeedFile.TrainingJob> jobs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            jobs.add(new SeedFile.TrainingJob(name(i), null, List.of(new SeedFile.Stream(null, "algo-1", "-2h",
                    List.of(new SeedFile.Event("+0s", "epoch 1 loss=0." + i),
                            new SeedFile.Event("+1s", "epoch 2 loss=0.0" + i),
                            new SeedFile.Event("+2s", "done " + name(i)))))));
        }
        return new SeedFile(SeedFile.CURRENT_VERSION, "1,000 jobs of a sweep", List.of(new SeedFile.User("alice",
                null)), List.of(new SeedFile.UseCaseSeed(USECASE, null, "444455556666", null, null, null,
                List.of("alice"), jobs)));
    }

    private static String name(int i) {
        return "sweep-lr-" + i;
    }

    @Test
    void batchOf1000_everyExportSucceeds_andTheBatchPageCountsAreRightThroughout() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            ids.add(name(i));
        }
        JsonNode accepted = call("POST", "/usecases/" + USECASE + "/log-exports",
                Json.write(Map.of("trainingIds", ids)));
        String batchId = accepted.path("batchId").asText();
        Set<String> exportIds = new HashSet<>();
        accepted.path("exports").forEach(e -> exportIds.add(e.path("exportId").asText()));
        assertThat(exportIds).as(accepted.toString().substring(0, 200)).hasSize(N);

        String first = accepted.path("exports").get(0).path("exportId").asText();
        assertThat(call("GET", "/log-exports/" + first, null).path("trainingId").asText())
                .as("every export id answered can be polled at once").isEqualTo(name(0));

        AtomicInteger polls = new AtomicInteger();
        JsonNode[] page = new JsonNode[1];
        TestTime.await("every export of the batch to succeed", Duration.ofMinutes(20))
                .pollInterval(Duration.ofSeconds(5)).until(() -> {
                    page[0] = call("GET", "/log-export-batches/" + batchId, null);
                    polls.incrementAndGet();
                    JsonNode counts = page[0].path("counts");
                    int sum = 0;
                    for (var it = counts.fields(); it.hasNext(); ) {
                        sum += it.next().getValue().asInt();
                    }
                    assertThat(page[0].path("total").asInt()).as("total at every poll").isEqualTo(N);
                    assertThat(sum).as("counts add up at every poll: %s", counts).isEqualTo(N);
                    assertThat(counts.path("FAILED").asInt()).as(page[0].path("exports").toString()).isZero();
                    return counts.path("SUCCEEDED").asInt() == N;
                });

        assertThat(page[0].path("requested").asInt()).isEqualTo(N);
        assertThat(page[0].path("exports")).hasSize(N);
        Set<String> listed = new HashSet<>();
        page[0].path("exports").forEach(e -> listed.add(e.path("exportId").asText()));
        assertThat(listed).isEqualTo(exportIds);
        JsonNode one = call("GET", "/log-exports/" + first, null);
        assertThat(one.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(one.path("download").path("url").asText()).isNotBlank();
        System.out.println("[BatchOf1000IT] " + polls.get() + " polls, worker " + stack.workerStats());
    }

    private static JsonNode call(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(stack.baseUri().resolve(path)).header("X-Dev-User", "alice")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }
}
