package com.mlplatform.logexport.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The recorded {@code POST …/log-exports} event ({@code /events/create-export.json}) and the same caller's requests
 * on one export derived from it (same headers and claims), so every IT speaks to the API as one real client.
 */
final class CreateExportFixture {

    private static final ObjectMapper EVENTS = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private CreateExportFixture() {
    }

    /** The recorded create-export event, fresh each call (tests change it). */
    static APIGatewayV2HTTPEvent createExport() {
        try (InputStream in = CreateExportFixture.class.getResourceAsStream("/events/create-export.json")) {
            return EVENTS.readValue(in, APIGatewayV2HTTPEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /events/create-export.json", e);
        }
    }

    /** The same caller's {@code method /log-exports/{exportId}} (GET: status, DELETE: cancel), without a body. */
    static APIGatewayV2HTTPEvent onExport(String method, String exportId) {
        APIGatewayV2HTTPEvent e = createExport();
        String path = "/log-exports/" + exportId;
        e.setRouteKey(method + " /log-exports/{exportId}");
        e.setRawPath(path);
        e.setPathParameters(Map.of("exportId", exportId));
        e.setBody(null);
        e.getHeaders().remove("content-type");
        e.getHeaders().remove("content-length");
        e.getRequestContext().setRouteKey(e.getRouteKey());
        e.getRequestContext().getHttp().setMethod(method);
        e.getRequestContext().getHttp().setPath(path);
        return e;
    }
}
