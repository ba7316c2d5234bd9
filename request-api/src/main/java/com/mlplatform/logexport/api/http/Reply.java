package com.mlplatform.logexport.api.http;

import com.mlplatform.logexport.shared.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: a status and a response record; {@link #toResponse} turns it into JSON at the edge. */
public record Reply(int status, Object body, Map<String, String> headers) {

    public Reply {
        headers = Map.copyOf(headers);
    }

    public static Reply of(int status, Object body) {
        return new Reply(status, body, Map.of());
    }

    public Reply withHeader(String name, String value) {
        var h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, body, h);
    }

    public ApiResponse toResponse() {
        return ApiResponse.json(status, Json.write(body)).withHeaders(headers);
    }
}
