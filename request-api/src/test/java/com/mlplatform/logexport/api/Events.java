package com.mlplatform.logexport.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** HTTP API payload-2.0 events shaped like the ones API Gateway (and the local stack's gateway) send. */
final class Events {

    static final String ORIGIN = "https://ml.example.com";

    private Events() {
    }

    static APIGatewayV2HTTPEvent event(String method, String path, String userId, String body,
                                       Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>();
        headers.put("origin", ORIGIN);
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        headers.putAll(extraHeaders);
        var authorizer = userId == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(Map.of("sub", userId, "email", userId + "@example.com"))
                        .build())
                .build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId(UUID.randomUUID().toString())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                .withAuthorizer(authorizer)
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(context)
                .build();
    }

    static APIGatewayV2HTTPEvent event(String method, String path, String userId, String body) {
        return event(method, path, userId, body, Map.of());
    }
}
