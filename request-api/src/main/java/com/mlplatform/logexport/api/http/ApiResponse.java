package com.mlplatform.logexport.api.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** The response before it becomes an API Gateway event; the body is JSON text or null. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, String json) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), json);
    }

    public ApiResponse withHeader(String name, String value) {
        var h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, h, body);
    }

    public ApiResponse withHeaders(Map<String, String> more) {
        var h = new LinkedHashMap<>(headers);
        h.putAll(more);
        return new ApiResponse(status, h, body);
    }
}
