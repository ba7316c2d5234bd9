package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.Accounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every route and every error of the error table, through the real handler on the emulator. */
class RoutesIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST,   /usecases/uc-a/trainings/t-1/log-exports,",
            "POST,   /usecases/uc-a/log-exports,                 '{\"trainingIds\":[\"a\"]}'",
            "GET,    /log-exports/exp-0123456789abcdefghjkmnpqrs,",
            "DELETE, /log-exports/exp-0123456789abcdefghjkmnpqrs,",
            "GET,    /log-export-batches/bat-0123456789abcdefghjkmnpqrs,",
            "GET,    /usecases/uc-a/trainings/t-1/logs/download,"})
    void noIdentity_shouldBe401_onEveryRoute(String method, String path, String body) {
        api.call(method, path, null, body).assertError(401, "UNAUTHENTICATED");
    }

    @Test
    void identity_shouldNeverComeFromBodyQueryOrHeaders() {
        api.call("POST", "/usecases/uc-a/trainings/t-1/log-exports", null, "{}",
                Map.of("x-user-id", "alice", "x-amz-user", "alice")).assertError(401, "UNAUTHENTICATED");
        api.call("POST", "/usecases/uc-a/trainings/t-1/log-exports", "carol", "{\"userId\":\"alice\"}")
                .assertError(400, "INVALID_REQUEST");
    }

    @Test
    void unknownRoute_shouldBe404_wrongMethod405WithAllow_andOptionsAPreflight() {
        api.call("GET", "/nothing/here", "alice").assertError(404, "NOT_FOUND");
        var wrong = api.call("PUT", "/log-exports/exp-0123456789abcdefghjkmnpqrs", "alice")
                .assertError(405, "METHOD_NOT_ALLOWED");
        assertThat(wrong.headers()).containsEntry("Allow", "DELETE, GET, OPTIONS");

        var preflight = api.call("OPTIONS", "/usecases/uc-a/trainings/t-1/log-exports", null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers())
                .containsEntry("Access-Control-Allow-Origin", HttpApiEvents.ORIGIN)
                .containsEntry("Access-Control-Allow-Methods", "OPTIONS, POST")
                .containsEntry("Vary", "Origin")
                .containsKey("Access-Control-Allow-Headers");
        assertThat(preflight.headers().get("Access-Control-Allow-Headers")).contains("Idempotency-Key");
    }

    @Test
    void cors_shouldEchoOnlyAnAllowedOrigin() {
        var foreign = api.call("GET", "/nothing", "alice", null, Map.of("origin", "https://evil.example"));
        assertThat(foreign.headers().get("Access-Control-Allow-Origin")).isEqualTo(HttpApiEvents.ORIGIN);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /usecases/uc-a/trainings/job%2F..%2Fx/log-exports, trainingId",
            "POST, /usecases/uc%2Fa/trainings/job/log-exports,        usecaseId",
            "GET,  /log-exports/not-an-id,                             exportId",
            "GET,  /log-export-batches/x,                              batchId",
            "POST, /usecases/uc-a/trainings/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/log-exports, trainingId"})
    void invalidPathParameters_shouldBe400NamingTheField_includingEncodedSlashes(String method, String path,
                                                                                 String field) {
        assertThat(api.call(method, path, "alice").assertError(400, "INVALID_REQUEST").text("/error/message"))
                .startsWith(field);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("not JSON", "{not json", Map.of(), 400, "INVALID_REQUEST"),
                Arguments.of("unknown field", "{\"colour\":\"red\"}", Map.of(), 400, "INVALID_REQUEST"),
                Arguments.of("start after end", "{\"startTime\":2000,\"endTime\":1000}", Map.of(), 400,
                        "INVALID_REQUEST"),
                Arguments.of("unknown format", "{\"format\":\"xml\"}", Map.of(), 400, "INVALID_REQUEST"),
                Arguments.of("too large", "{\"format\":\"" + "x".repeat(600_000) + "\"}", Map.of(), 413,
                        "PAYLOAD_TOO_LARGE"),
                Arguments.of("bad Idempotency-Key", null, Map.of("Idempotency-Key", "not a key!"), 400,
                        "INVALID_REQUEST"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidBodies_shouldBe400_or413WhenTooLarge_andCreateNothing(String why, String body,
                                                                       Map<String, String> headers, int status,
                                                                       String code) {
        api.call("POST", "/usecases/uc-a/trainings/t-body/log-exports", "alice", body, headers)
                .assertError(status, code);
        assertThat(api.jobsOf("alice")).noneMatch(j -> j.trainingId().equals("t-body"));
    }

    @Test
    void createExport_shouldBe404ForUnknownUseCase_and403ForNonMember() {
        api.call("POST", "/usecases/uc-zz/trainings/t-1/log-exports", "alice").assertError(404, "NOT_FOUND");
        var denied = api.call("POST", "/usecases/uc-b/trainings/t-1/log-exports", "alice")
                .assertError(403, "ACCESS_DENIED");
        assertThat(denied.text("/error/message")).contains("not a member");
    }

    @Test
    void status_shouldBeVisibleToAllCurrentMembers_andToNobodyElse_andRevokedAtOnce() {
        String id = api.call("POST", "/usecases/uc-a/trainings/visible-1/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        api.call("GET", "/log-exports/" + id, "bob").assertStatus(200);
        var foreign = api.call("GET", "/log-exports/" + id, "carol").assertError(404, "NOT_FOUND");
        var missing = api.call("GET", "/log-exports/exp-0123456789abcdefghjkmnpqrs", "carol")
                .assertError(404, "NOT_FOUND");
        assertThat(foreign.text("/error/message").replace(id, "X"))
                .as("another tenant's export looks exactly like a missing one")
                .isEqualTo(missing.text("/error/message").replace("exp-0123456789abcdefghjkmnpqrs", "X"));
        api.call("DELETE", "/log-exports/" + id, "carol").assertError(404, "NOT_FOUND");

        api.registry.put(ApiHarness.useCase("uc-a", Accounts.USECASE_A, Set.of("alice")));
        try {
            api.call("GET", "/log-exports/" + id, "bob").assertError(404, "NOT_FOUND");
        } finally {
            api.registry.put(ApiHarness.useCase("uc-a", Accounts.USECASE_A, Set.of("alice", "bob")));
        }
    }

    @Test
    void status_shouldNameTheRequester_toEveryoneWhoMaySeeTheExport_likeTheFileHeader() {
        String id = api.call("POST", "/usecases/uc-a/trainings/requester-1/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        assertThat(api.call("GET", "/log-exports/" + id, "bob").assertStatus(200).text("/requestedBy"))
                .isEqualTo("alice");
        api.call("GET", "/log-exports/" + id, "carol").assertError(404, "NOT_FOUND");
    }

    @Test
    void status_shouldCarryProgress_andTheJobErrorWhenFailed() {
        String id = api.call("POST", "/usecases/uc-a/trainings/status-1/log-exports", "alice",
                "{\"startTime\":\"2024-01-01T00:00:00Z\",\"endTime\":1704153600000}").assertStatus(202)
                .text("/exportId");
        var doc = api.call("GET", "/log-exports/" + id, "alice").assertStatus(200).json();
        assertThat(doc.at("/status").asText()).isEqualTo("QUEUED");
        assertThat(doc.at("/usecaseId").asText()).isEqualTo("uc-a");
        assertThat(doc.at("/trainingId").asText()).isEqualTo("status-1");
        assertThat(doc.at("/options/startTime").asLong()).isEqualTo(1704067200000L);
        assertThat(doc.at("/options/endTime").asLong()).isEqualTo(1704153600000L);
        assertThat(doc.at("/progress/streamsTotal").isInt()).isTrue();
        assertThat(doc.has("createdAt") && doc.has("updatedAt")).isTrue();

        api.repo().finishIfActive(id, com.mlplatform.logexport.shared.job.ExportStatus.FAILED,
                new com.mlplatform.logexport.shared.job.JobError(
                        com.mlplatform.logexport.shared.error.ErrorCode.NO_LOGS, "No logs available yet.", "c-1"),
                java.time.Instant.now());
        var failed = api.call("GET", "/log-exports/" + id, "alice").assertStatus(200).json();
        assertThat(failed.at("/status").asText()).isEqualTo("FAILED");
        assertThat(failed.at("/error/code").asText()).isEqualTo("NO_LOGS");
        assertThat(failed.at("/error/message").asText()).isEqualTo("No logs available yet.");
        assertThat(failed.has("download")).isFalse();
    }

    @Test
    void cancel_shouldBe202ForActive_idempotent_and409OnceFinished() {
        String id = api.call("POST", "/usecases/uc-a/trainings/cancel-1/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        var cancelled = api.call("DELETE", "/log-exports/" + id, "bob").assertStatus(202);
        assertThat(cancelled.text("/status")).isEqualTo("CANCELLED");
        assertThat(api.call("GET", "/log-exports/" + id, "alice").text("/status")).isEqualTo("CANCELLED");
        api.call("DELETE", "/log-exports/" + id, "alice").assertStatus(202);

        String done = api.call("POST", "/usecases/uc-a/trainings/cancel-2/log-exports", "alice")
                .assertStatus(202).text("/exportId");
        api.succeed(done, "cancel-2.log", "x\n");
        api.call("DELETE", "/log-exports/" + done, "alice").assertError(409, "CONFLICT");
        assertThat(api.call("GET", "/log-exports/" + done, "alice").text("/status")).isEqualTo("SUCCEEDED");
    }

    @Test
    void legacyDownload_shouldStartAnExport_thenRedirectToTheFileOnceItSucceeded() throws Exception {
        String path = "/usecases/uc-a/trainings/legacy-1/logs/download";
        var started = api.call("GET", path, "alice").assertStatus(202);
        String id = started.text("/exportId");
        assertThat(started.headers()).containsEntry("Location", "/log-exports/" + id);
        assertThat(api.call("GET", path, "alice").assertStatus(202).text("/exportId"))
                .as("while it runs, the same export").isEqualTo(id);

        api.succeed(id, "legacy-1.log", "2024-01-01T00:00:00Z epoch 1\n");
        var redirect = api.call("GET", path, "alice").assertStatus(303);
        String url = redirect.headers().get("Location");
        assertThat(url).contains("response-content-disposition");
        var file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("2024-01-01T00:00:00Z epoch 1\n");

        api.call("GET", path, "carol").assertError(403, "ACCESS_DENIED");
        api.call("GET", "/usecases/uc-a/trainings/bad_name/logs/download", "alice").assertError(400, "INVALID_REQUEST");
    }

    @Test
    void legacyDownload_shouldExportAgain_whenTheLastSuccessIsOutsideTheReuseWindow() {
        String path = "/usecases/uc-a/trainings/legacy-2/logs/download";
        String id = api.call("GET", path, "bob").assertStatus(202).text("/exportId");
        api.succeed(id, "legacy-2.log", "x\n");
        api.reconfigure(ApiConfig.fromEnv(api.env(Map.of(ApiConfig.ENV_DOWNLOAD_REUSE_WINDOW_SECONDS, "0"))));
        try {
            String again = api.call("GET", path, "bob").assertStatus(202).text("/exportId");
            assertThat(again).isNotEqualTo(id);
        } finally {
            api.reconfigure(api.config());
        }
    }

    @Test
    void activeCap_shouldAnswer429WithRetryAfter_andCreateNothing() {
        api.reconfigure(api.config().withMaxActiveExportsPerUser(2));
        try {
            // carol has nothing active yet in this class
            api.call("POST", "/usecases/uc-b/trainings/cap-1/log-exports", "carol").assertStatus(202);
            api.call("POST", "/usecases/uc-b/trainings/cap-2/log-exports", "carol").assertStatus(202);
            var limited = api.call("POST", "/usecases/uc-b/trainings/cap-3/log-exports", "carol")
                    .assertError(429, "TOO_MANY_REQUESTS");
            assertThat(limited.headers()).containsKey("Retry-After");
            assertThat(api.jobsOf("carol")).extracting(j -> j.trainingId()).doesNotContain("cap-3");
            api.call("POST", "/usecases/uc-b/log-exports", "carol", "{\"trainingIds\":[\"cap-4\"]}")
                    .assertError(429, "TOO_MANY_REQUESTS");
            // An export already in flight is handed back even at the cap: nothing new would be created.
            api.call("POST", "/usecases/uc-b/trainings/cap-1/log-exports", "carol").assertStatus(202);
            // The guard of the refused export was released: once below the cap, it can start.
            String first = api.jobsOf("carol").stream().filter(j -> j.trainingId().equals("cap-1")).findFirst()
                    .orElseThrow().exportId();
            api.call("DELETE", "/log-exports/" + first, "carol").assertStatus(202);
            api.call("POST", "/usecases/uc-b/trainings/cap-3/log-exports", "carol").assertStatus(202);
        } finally {
            api.reconfigure(api.config());
        }
    }
}
