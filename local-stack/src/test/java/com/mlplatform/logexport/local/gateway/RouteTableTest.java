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
              /{proxy+}:
                x-amazon-apigateway-any-method: {}
                options:
                  security: []
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
    void match_shouldFallBackToTheCatchAllRoute_forAnotherMethodOrAnUnknownPath() {
        assertThat(table.match("PUT", "/log-exports/exp-1").orElseThrow().route().routeKey())
                .isEqualTo("ANY /{proxy+}");
        assertThat(table.match("GET", "/usecases/u/trainings/t").orElseThrow().pathParameters())
                .containsEntry("proxy", "usecases/u/trainings/t");
        assertThat(table.match("OPTIONS", "/log-exports/exp-1").orElseThrow().route())
                .as("a method route beats ANY on the same path")
                .isEqualTo(new RouteTable.Route("OPTIONS", "/{proxy+}", false));
    }

    @Test
    void match_shouldFindNothing_withoutACatchAllRoute() {
        var strict = new RouteTable(java.util.List.of(new RouteTable.Route("GET", "/log-exports/{exportId}", true)));

        assertThat(strict.match("PUT", "/log-exports/exp-1")).isEmpty();
        assertThat(strict.hasPath("/log-exports/exp-1")).isTrue();
        assertThat(strict.match("GET", "/log-exports/exp-1/extra")).isEmpty();
        assertThat(strict.match("GET", "/log-exports/")).isEmpty();
    }

    @Test
    void fromClasspath_shouldReadTheRequestApisOwnDocument() {
        var real = RouteTable.fromClasspath();

        assertThat(real.routes()).extracting(RouteTable.Route::routeKey).contains(
                "POST /usecases/{usecaseId}/trainings/{trainingId}/log-exports",
                "POST /usecases/{usecaseId}/log-exports",
                "GET /log-exports/{exportId}",
                "DELETE /log-exports/{exportId}",
                "GET /log-export-batches/{batchId}",
                "GET /usecases/{usecaseId}/trainings/{trainingId}/logs/download");
        assertThat(real.match("GET", "/log-exports/exp-1").orElseThrow().route().authorized()).isTrue();
    }

    @Test
    void routes_shouldNeedAJwt_unlessTheOperationOptsOut() {
        assertThat(table.match("GET", "/log-exports/x").orElseThrow().route().authorized()).isTrue();
        assertThat(table.match("GET", "/public/health").orElseThrow().route().authorized()).isFalse();
    }
}
