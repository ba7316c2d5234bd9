package com.mlplatform.logexport.reliability.child;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.mlplatform.logexport.api.RequestApiHandler;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A child JVM playing one request-API execution environment behind API Gateway: {@code new RequestApiHandler()}
 * configured only by its environment, fed HTTP API (payload 2.0) events built from the {@link ApiCall} lines on
 * its standard input, the caller's identity in the JWT authorizer's claims as API Gateway puts it. Each answer is
 * printed as a {@link ChildLine#RESPONSE} line. Runs until its input ends or it is killed.
 */
public final class ApiProcess {

    /** API Gateway's integration timeout for an HTTP API. */
    private static final long GATEWAY_TIMEOUT_MILLIS = 29_000;

    private ApiProcess() {
    }

    public static void main(String[] args) throws IOException {
        var handler = new RequestApiHandler();
        ChildLine.print(ChildLine.READY, "request-api");
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            ApiCall call = ApiCall.fromJson(line);
            APIGatewayV2HTTPResponse r = handler.handleRequest(event(call),
                    CountdownContext.ofMillis("request-api", GATEWAY_TIMEOUT_MILLIS));
            ChildLine.print(ChildLine.RESPONSE, new ApiCall.Answer(r.getStatusCode(), r.getBody()).toJson());
        }
    }

    static APIGatewayV2HTTPEvent event(ApiCall call) {
        Map<String, String> headers = new HashMap<>();
        headers.put("origin", "https://ml.example.com");
        if (call.body() != null) {
            headers.put("content-type", "application/json");
        }
        if (call.idempotencyKey() != null) {
            headers.put("idempotency-key", call.idempotencyKey());
        }
        var authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(Map.of("sub", call.user(), "email", call.user() + "@example.com"))
                        .build())
                .build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId(UUID.randomUUID().toString())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(call.method())
                        .withPath(call.path()).build())
                .withAuthorizer(authorizer)
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(call.path())
                .withHeaders(headers)
                .withBody(call.body())
                .withIsBase64Encoded(false)
                .withRequestContext(context)
                .build();
    }
}
