package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For any path, method, headers, body and identity, the real handler on the emulator never answers 5xx, always
 * sends CORS headers, and answers every 4xx with the JSON error shape. Paths mix real routes, real-looking ids
 * and garbage, so the generated requests reach every branch down to DynamoDB and SQS.
 */
class HandlerPropertiesIT {

    private static ApiHarness api;

    @BeforeContainer
    static void start() {
        api = ApiHarness.started();
    }

    @AfterContainer
    static void stop() {
        api.close();
    }

    record Request(String method, String path, String user, String body, Map<String, String> headers) {
    }

    @Property(tries = 400)
    void neverServerError_alwaysCors_jsonErrorOn4xx(@ForAll("requests") Request r) throws Exception {
        APIGatewayV2HTTPEvent event = HttpApiEvents.event(r.method(), r.path(), r.user(), r.body(), r.headers());
        var response = api.handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).as("%s %s", r.method(), r.path()).isBetween(200, 499);
        assertThat(response.getHeaders()).containsKey("Access-Control-Allow-Origin")
                .containsKey("Access-Control-Expose-Headers").containsKey("X-Request-Id");
        if (response.getStatusCode() >= 400) {
            JsonNode body = Json.MAPPER.readTree(response.getBody());
            assertThat(body.size()).isEqualTo(1);
            JsonNode error = body.get("error");
            assertThat(error.get("code").isTextual()).isTrue();
            assertThat(error.get("message").asText()).isNotBlank();
            assertThat(error.get("requestId").asText()).isEqualTo(event.getRequestContext().getRequestId());
            assertThat(response.getBody()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        if (response.getStatusCode() == 405) {
            assertThat(response.getHeaders()).containsKey("Allow");
        }
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> method = Arbitraries.oneOf(
                Arbitraries.of("GET", "POST", "DELETE", "OPTIONS", "PUT", "PATCH", "HEAD"),
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(7));
        Arbitrary<String> user = Arbitraries.of("alice", "bob", "carol", "mallory").injectNull(0.2);
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.of("{}", "{\"format\":\"jsonl\"}", "{\"format\":\"pdf\"}", "{\"trainingIds\":[\"job-1\"]}",
                        "{\"trainingIds\":[\"job-1\",\"bad/x\",3]}", "{\"startTime\":5,\"endTime\":1}",
                        "{\"trainingIds\":[]}", "[]", "null", "{", "{\"x\":1}",
                        "{\"startTime\":\"2024-01-01T00:00:00Z\"}", "{\"compression\":\"gzip\"}",
                        "{\"compression\":\"zip\"}"),
                Arbitraries.strings().ofMaxLength(40)).injectNull(0.3);
        Arbitrary<Map<String, String>> headers = Combinators.combine(
                Arbitraries.of("https://ml.example.com", "https://evil.example", "").injectNull(0.3),
                Arbitraries.oneOf(Arbitraries.of("k-1", "k-2", "bad key"),
                        Arbitraries.strings().ofMaxLength(20)).injectNull(0.6),
                Arbitraries.of("application/json", "text/plain").injectNull(0.5)
        ).as((origin, key, type) -> {
            Map<String, String> h = new HashMap<>();
            if (origin != null) {
                h.put("origin", origin);
            }
            if (key != null) {
                h.put("idempotency-key", key);
            }
            if (type != null) {
                h.put("content-type", type);
            }
            return h;
        });
        return Combinators.combine(method, paths(), user, body, headers).as(Request::new);
    }

    private Arbitrary<String> paths() {
        Arbitrary<String> usecase = Arbitraries.oneOf(Arbitraries.of("uc-a", "uc-b", "uc-none", "uc%2Fa", ""),
                Arbitraries.strings().ofMaxLength(10));
        Arbitrary<String> training = Arbitraries.oneOf(Arbitraries.of("job-1", "job-2", "a%2F..", "-x", "x".repeat(64)),
                Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().ofMaxLength(10));
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.of("exp-0123456789abcdefghjkmnpqrs", "bat-0123456789abcdefghjkmnpqrs", "exp-..%2F"),
                Arbitraries.strings().ofMaxLength(30));
        return Arbitraries.oneOf(
                Combinators.combine(usecase, training).as((u, t) -> "/usecases/" + u + "/trainings/" + t
                        + "/log-exports"),
                usecase.map(u -> "/usecases/" + u + "/log-exports"),
                id.map(i -> "/log-exports/" + i),
                id.map(i -> "/log-export-batches/" + i),
                Combinators.combine(usecase, training).as((u, t) -> "/usecases/" + u + "/trainings/" + t
                        + "/logs/download"),
                Arbitraries.strings().ofMaxLength(40).map(s -> "/" + s),
                Arbitraries.of("", "/", "//", "/log-exports/", "/usecases", List.of("a", "b").toString()));
    }
}
