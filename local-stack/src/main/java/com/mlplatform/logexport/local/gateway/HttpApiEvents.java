package com.mlplatform.logexport.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event for a request, field by field as the service does
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
 * lower-case header names with repeated values joined by commas, cookies moved out of the headers, duplicate query
 * parameters joined by commas, and a body that is base64-encoded unless it is text.
 */
public final class HttpApiEvents {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final String accountId;
    private final String apiId;

    public HttpApiEvents(String accountId, String apiId) {
        this.accountId = accountId;
        this.apiId = apiId;
    }

    /** The event for a matched route; {@code claims} empty when the route needs no authorizer. */
    public APIGatewayV2HTTPEvent toEvent(GatewayRequest request, RouteTable.Match match, Map<String, String> claims,
                                         Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            if (name.equals("cookie")) {
                values.forEach(v -> {
                    for (String c : v.split(";")) {
                        if (!c.isBlank()) {
                            cookies.add(c.strip());
                        }
                    }
                });
            } else if (!name.equals(DevIdentity.HEADER)) {
                headers.put(name, String.join(",", values));
            }
        });
        String rawQuery = request.rawQuery() == null ? "" : request.rawQuery();
        Map<String, String> query = queryParameters(rawQuery);
        String userAgent = headers.getOrDefault("user-agent", "");
        var http = RequestContext.Http.builder()
                .withMethod(request.method().toUpperCase(Locale.ROOT))
                .withPath(request.rawPath())
                .withProtocol("HTTP/1.1")
                .withSourceIp(request.sourceIp())
                .withUserAgent(userAgent)
                .build();
        var context = RequestContext.builder()
                .withAccountId(accountId)
                .withApiId(apiId)
                .withDomainName(request.host())
                .withDomainPrefix(request.host().split("[.:]")[0])
                .withHttp(http)
                .withRequestId(requestId())
                .withRouteKey(match.route().routeKey())
                .withStage("$default")
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .build();
        if (!claims.isEmpty()) {
            context.setAuthorizer(RequestContext.Authorizer.builder()
                    .withJwt(RequestContext.Authorizer.JWT.builder().withClaims(claims).withScopes(null).build())
                    .build());
        }
        Optional<String> text = textBody(request.body(), headers.get("content-type"));
        var builder = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(request.rawPath())
                .withRawQueryString(rawQuery)
                .withHeaders(headers)
                .withRequestContext(context)
                .withIsBase64Encoded(false);
        if (!cookies.isEmpty()) {
            builder.withCookies(cookies);
        }
        if (!query.isEmpty()) {
            builder.withQueryStringParameters(query);
        }
        if (!match.pathParameters().isEmpty()) {
            builder.withPathParameters(match.pathParameters());
        }
        if (request.body() != null && request.body().length > 0) {
            if (text.isPresent()) {
                builder.withBody(text.get());
            } else {
                builder.withBody(Base64.getEncoder().encodeToString(request.body())).withIsBase64Encoded(true);
            }
        }
        return builder.build();
    }

    /** Response body bytes, decoding base64 when the handler said so. */
    public static byte[] responseBody(APIGatewayV2HTTPResponse response) {
        String body = response.getBody();
        if (body == null) {
            return new byte[0];
        }
        return response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static Optional<String> textBody(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean declaredBinary = !type.isEmpty() && !(type.startsWith("text/") || type.contains("json")
                || type.contains("xml") || type.contains("x-www-form-urlencoded") || type.contains("javascript"));
        if (declaredBinary) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String requestId() {
        // API Gateway request ids look like "JKJaXmPLvHcESHA="; any unique value works for correlation.
        return Base64.getEncoder().withoutPadding().encodeToString(
                UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)).substring(0, 16) + "=";
    }
}
