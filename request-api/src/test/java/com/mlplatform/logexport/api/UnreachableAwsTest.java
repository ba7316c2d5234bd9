package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.json.Json;
import java.net.URI;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * When AWS cannot be reached, the caller still gets an answer a browser app can read: 503 with Retry-After, CORS
 * headers and the JSON error body, and no detail of the failure. (Port 1 on loopback refuses connections.)
 */
class UnreachableAwsTest {

    private static AwsClients clients;
    private static RequestApiHandler handler;

    @BeforeAll
    static void start() {
        clients = new AwsClients(new AwsSettings(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:1")),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y"))));
        handler = new RequestApiHandler(clients, new ApiConfig(
                new PlatformResources("exports", "usecases", "http://127.0.0.1:1/queue/q", "bucket"), "sub",
                java.util.List.of(HttpApiEvents.ORIGIN), ApiConfig.DEFAULT_PRESIGN_TTL, 10,
                ApiConfig.DEFAULT_DOWNLOAD_REUSE_WINDOW, ApiConfig.DEFAULT_RECONCILER_STALE_AFTER, false,
                "http://127.0.0.1:1/queue/fanout"));
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    static Stream<APIGatewayV2HTTPEvent> requestsThatNeedAws() {
        return Stream.of(
                HttpApiEvents.event("GET", "/log-exports/exp-0123456789abcdefghjkmnpqrs", "alice", null),
                HttpApiEvents.event("POST", "/usecases/uc-a/trainings/job-1/log-exports", "alice", null),
                HttpApiEvents.event("POST", "/usecases/uc-a/log-exports", "alice", "{\"trainingIds\":[\"a\"]}"));
    }

    @ParameterizedTest
    @MethodSource("requestsThatNeedAws")
    void awsDown_shouldGive503_withCorsRetryAfterAndAJsonErrorWithoutInternals(APIGatewayV2HTTPEvent event)
            throws Exception {
        var r = handler.handleRequest(event, null);
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getHeaders()).containsEntry("Access-Control-Allow-Origin", HttpApiEvents.ORIGIN)
                .containsKey("Retry-After").containsEntry("Content-Type", "application/json");
        JsonNode error = Json.MAPPER.readTree(r.getBody()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error.get("requestId").asText()).isEqualTo(event.getRequestContext().getRequestId());
        assertThat(r.getBody()).doesNotContain("127.0.0.1").doesNotContain("Exception").doesNotContain("at com.");
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            "GET,     /log-exports/nope, alice, 400",
            "GET,     /log-exports/nope,      , 401",
            "OPTIONS, /log-exports/x,         , 204"})
    void checksThatNeedNoAws_shouldStillAnswerNormally(String method, String path, String user, int status) {
        assertThat(handler.handleRequest(HttpApiEvents.event(method, path, user, null), null).getStatusCode())
                .isEqualTo(status);
    }
}
