package com.mlplatform.logexport.api.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CORS headers for every response, errors and 5xx included: a browser app that cannot read an error cannot show
 * it. The API answers CORS itself (not the HTTP API's CORS feature) so the headers are the same locally and in AWS.
 */
public final class Cors {

    /** Request headers a browser app may send. */
    public static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key";
    /** Response headers a browser app may read besides the CORS-safelisted ones. */
    public static final String EXPOSED_HEADERS = "Location, Retry-After, Allow, X-Request-Id, Idempotent-Replayed";
    static final String MAX_AGE_SECONDS = "600";

    private final List<String> allowedOrigins;
    private final boolean wildcard;

    public Cors(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.wildcard = allowedOrigins.contains("*");
    }

    /** Headers for an ordinary response to a request from {@code origin} (null when the request had none). */
    public Map<String, String> headers(String origin) {
        var h = new LinkedHashMap<String, String>();
        h.put("Access-Control-Allow-Origin", allowOrigin(origin));
        if (!wildcard) {
            // The value depends on the request's Origin, so caches must key on it.
            h.put("Vary", "Origin");
        }
        h.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        return h;
    }

    /** Headers for a preflight ({@code OPTIONS}) answer on a path that supports {@code methods}. */
    public Map<String, String> preflight(String origin, Set<String> methods) {
        var h = headers(origin);
        h.put("Access-Control-Allow-Methods", String.join(", ", methods));
        h.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        h.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
        return h;
    }

    /**
     * The matching configured origin, or the first configured one when the request's origin is not allowed: the
     * header is always there, and a browser on a foreign origin still gets refused.
     */
    private String allowOrigin(String origin) {
        if (wildcard) {
            return "*";
        }
        if (origin != null && allowedOrigins.contains(origin)) {
            return origin;
        }
        return allowedOrigins.get(0);
    }
}
