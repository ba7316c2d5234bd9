package com.mlplatform.logexport.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * HTTP API payload-2.0 events: real API Gateway events (src/test/resources/events, one with a JWT authorizer, one
 * without) loaded with {@link EventLoader}, then given the request under test.
 */
final class HttpApiEvents {

    /** The origin of the fixtures' browser, allowed by every harness configuration. */
    static final String ORIGIN = "https://ml.example.com";

    private HttpApiEvents() {
    }

    /**
     * @param userId       the JWT's {@code sub}, or null for a request without an authorizer
     * @param extraHeaders added to (or replacing) the fixture's headers
     */
    static APIGatewayV2HTTPEvent event(String method, String path, String userId, String body,
                                       Map<String, String> extraHeaders) {
        APIGatewayV2HTTPEvent event = userId == null
                ? EventLoader.loadApiGatewayHttpEvent("events/http-api-no-authorizer.json")
                : EventLoader.loadApiGatewayHttpEvent("events/http-api-jwt.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        if (!"OPTIONS".equals(method)) {
            headers.keySet().removeIf(h -> h.startsWith("access-control-request-"));
        }
        if (body == null) {
            headers.remove("content-type");
            headers.put("content-length", "0");
        } else {
            headers.put("content-type", "application/json");
            headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        }
        headers.putAll(extraHeaders);
        event.setHeaders(headers);
        event.setRawPath(path);
        event.setBody(body);
        var context = event.getRequestContext();
        context.setRequestId(UUID.randomUUID().toString());
        context.getHttp().setMethod(method);
        context.getHttp().setPath(path);
        if (userId != null) {
            context.getAuthorizer().getJwt().setClaims(Map.of("sub", userId, "email", userId + "@example.com"));
        }
        return event;
    }

    static APIGatewayV2HTTPEvent event(String method, String path, String userId, String body) {
        return event(method, path, userId, body, Map.of());
    }
}
