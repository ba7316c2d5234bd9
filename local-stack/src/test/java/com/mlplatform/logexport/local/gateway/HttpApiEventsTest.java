package com.mlplatform.logexport.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiEventsTest {

    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private final HttpApiEvents events = new HttpApiEvents("123456789012", "local");
    private final RouteTable.Match match = new RouteTable.Match(
            new RouteTable.Route("POST", "/usecases/{usecaseId}/log-exports", true), Map.of("usecaseId", "uc-1"));

    private static GatewayRequest request(Map<String, List<String>> headers, byte[] body, String query) {
        return new GatewayRequest("post", "/usecases/uc-1/log-exports", query, headers, body, "127.0.0.1",
                "localhost:8080");
    }

    @Test
    void toEvent_shouldBuildAPayload2Event_asApiGatewayDoes() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("x-multi", List.of("a", "b"));
        headers.put("cookie", List.of("s=1; t=2"));
        headers.put("x-dev-user", List.of("alice"));
        headers.put("user-agent", List.of("curl/8"));

        var event = events.toEvent(request(headers, "{\"trainingIds\":[\"é\"]}".getBytes(StandardCharsets.UTF_8),
                "a=1&a=2&b=x%20y"), match, Map.of("sub", "alice"), NOW);

        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRouteKey()).isEqualTo("POST /usecases/{usecaseId}/log-exports");
        assertThat(event.getRawPath()).isEqualTo("/usecases/uc-1/log-exports");
        assertThat(event.getRawQueryString()).isEqualTo("a=1&a=2&b=x%20y");
        assertThat(event.getQueryStringParameters()).containsEntry("a", "1,2").containsEntry("b", "x y");
        assertThat(event.getPathParameters()).containsEntry("usecaseId", "uc-1");
        assertThat(event.getHeaders()).containsEntry("x-multi", "a,b").doesNotContainKeys("cookie", "x-dev-user");
        assertThat(event.getCookies()).containsExactly("s=1", "t=2");
        assertThat(event.getBody()).isEqualTo("{\"trainingIds\":[\"é\"]}");
        assertThat(event.getIsBase64Encoded()).isFalse();
        var ctx = event.getRequestContext();
        assertThat(ctx.getHttp().getMethod()).isEqualTo("POST");
        assertThat(ctx.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(ctx.getHttp().getUserAgent()).isEqualTo("curl/8");
        assertThat(ctx.getStage()).isEqualTo("$default");
        assertThat(ctx.getTimeEpoch()).isEqualTo(NOW.toEpochMilli());
        assertThat(ctx.getTime()).isEqualTo("02/Jan/2030:03:04:05 +0000");
        assertThat(ctx.getRequestId()).isNotBlank();
        assertThat(ctx.getAuthorizer().getJwt().getClaims()).containsEntry("sub", "alice");
    }

    @Test
    void toEvent_shouldBase64EncodeABinaryBody_andLeaveOutAnAuthorizerWithoutClaims() {
        byte[] binary = {(byte) 0xff, 0, 1, 2};

        var event = events.toEvent(request(Map.of("content-type", List.of("application/octet-stream")), binary, null),
                match, Map.of(), NOW);

        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(event.getBody())).isEqualTo(binary);
        assertThat(event.getRequestContext().getAuthorizer()).isNull();
        assertThat(event.getRawQueryString()).isEmpty();
        assertThat(event.getQueryStringParameters()).isNull();
    }
}
