package com.mlplatform.logexport.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final String OPENAPI = """
            openapi: 3.0.1
            paths:
              /usecases/{usecaseId}/trainings/{trainingId}/log-exports:
                post: {operationId: createExport}
              /usecases/{usecaseId}/log-exports:
                post: {operationId: createBatch}
              /log-exports/{exportId}:
                get: {operationId: getExport}
                delete: {operationId: cancelExport}
              /log-exports/latest:
                get: {operationId: latest}
              /public/health:
                get:
                  security: []
              /files/{path+}:
                get: {}
            """;

    private final RouteTable table = RouteTable.fromOpenApi(
            new ByteArrayInputStream(OPENAPI.getBytes(StandardCharsets.UTF_8)));

    @Test
    void match_shouldGiveTheRouteKeyAndDecodedPathParameters() {
        var m = table.match("POST", "/usecases/fraud%2Ddetection/trainings/job-1/log-exports").orElseThrow();

        assertThat(m.route().routeKey()).isEqualTo("POST /usecases/{usecaseId}/trainings/{trainingId}/log-exports");
        assertThat(m.pathParameters()).isEqualTo(Map.of("usecaseId", "fraud-detection", "trainingId", "job-1"));
    }

    @Test
    void match_shouldPreferLiteralSegments_overParameters() {
        assertThat(table.match("GET", "/log-exports/latest").orElseThrow().route().path())
                .isEqualTo("/log-exports/latest");
        assertThat(table.match("GET", "/log-exports/exp-1").orElseThrow().pathParameters())
                .containsEntry("exportId", "exp-1");
    }

    @Test
    void match_shouldTakeTheRestOfThePath_forAGreedyParameter() {
        assertThat(table.match("GET", "/files/a/b%20c.txt").orElseThrow().pathParameters())
                .containsEntry("path", "a/b c.txt");
    }

    @Test
    void match_shouldFindNothing_forAnotherMethodOrAnUnknownPath() {
        assertThat(table.match("PUT", "/log-exports/exp-1")).isEmpty();
        assertThat(table.hasPath("/log-exports/exp-1")).isTrue();
        assertThat(table.match("GET", "/usecases/u/trainings/t")).isEmpty();
        assertThat(table.match("GET", "/log-exports/exp-1/extra")).isEmpty();
    }

    @Test
    void routes_shouldNeedAJwt_unlessTheOperationOptsOut() {
        assertThat(table.match("GET", "/log-exports/x").orElseThrow().route().authorized()).isTrue();
        assertThat(table.match("GET", "/public/health").orElseThrow().route().authorized()).isFalse();
    }
}
