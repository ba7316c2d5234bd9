package com.mlplatform.logexport.api.http;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the API sees it, converted from the API Gateway event at the handler so nothing inside
 * depends on the Lambda event classes.
 *
 * @param headers   header names lower-cased (HTTP API 2.0 already does this; the local gateway may not)
 * @param body      the decoded body, or null when there is none
 * @param claims    the JWT authorizer's claims: the ONLY source of the caller's identity
 */
public record ApiRequest(String method, String rawPath, Map<String, String> headers, String body, String requestId,
                         Map<String, String> claims) {

    public ApiRequest {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        rawPath = rawPath == null ? "" : rawPath;
        headers = headers == null ? Map.of() : lowerCaseKeys(headers);
        claims = claims == null ? Map.of() : Map.copyOf(claims);
        Objects.requireNonNull(requestId, "requestId");
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    private static Map<String, String> lowerCaseKeys(Map<String, String> in) {
        var out = new java.util.HashMap<String, String>();
        in.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        return Map.copyOf(out);
    }
}
