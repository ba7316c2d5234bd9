package com.mlplatform.logexport.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router router = new Router();

    @Test
    void route_shouldMatchEachOperation_withItsRawParameters() {
        assertThat(router.route("POST", "/usecases/uc-a/trainings/job-1/log-exports"))
                .isEqualTo(new Router.Matched(Operation.CREATE_EXPORT, Map.of("usecaseId", "uc-a", "trainingId", "job-1")));
        assertThat(router.route("POST", "/usecases/uc-a/log-exports"))
                .isEqualTo(new Router.Matched(Operation.CREATE_BATCH, Map.of("usecaseId", "uc-a")));
        assertThat(router.route("GET", "/log-exports/x"))
                .isEqualTo(new Router.Matched(Operation.GET_EXPORT, Map.of("exportId", "x")));
        assertThat(router.route("DELETE", "/log-exports/x"))
                .isEqualTo(new Router.Matched(Operation.CANCEL_EXPORT, Map.of("exportId", "x")));
        assertThat(router.route("GET", "/log-export-batches/b"))
                .isEqualTo(new Router.Matched(Operation.GET_BATCH, Map.of("batchId", "b")));
        assertThat(router.route("GET", "/usecases/u/trainings/t/logs/download"))
                .isEqualTo(new Router.Matched(Operation.LEGACY_DOWNLOAD, Map.of("usecaseId", "u", "trainingId", "t")));
    }

    @Test
    void route_shouldAnswer405WithAllow_whenPathIsKnownButMethodIsNot() {
        assertThat(router.route("PUT", "/log-exports/x"))
                .isEqualTo(new Router.MethodNotAllowed(Set.of("DELETE", "GET", "OPTIONS")));
        assertThat(router.route("GET", "/usecases/u/trainings/t/log-exports"))
                .isEqualTo(new Router.MethodNotAllowed(Set.of("OPTIONS", "POST")));
    }

    @Test
    void route_shouldTreatOptionsOnAKnownPathAsPreflight() {
        assertThat(router.route("OPTIONS", "/log-exports/x"))
                .isEqualTo(new Router.Preflight(Set.of("DELETE", "GET", "OPTIONS")));
    }

    @Test
    void route_shouldBeNotFound_forUnknownPathsTrailingSlashesAndEmptySegments() {
        assertThat(router.route("GET", "/")).isInstanceOf(Router.NotFound.class);
        assertThat(router.route("GET", "")).isInstanceOf(Router.NotFound.class);
        assertThat(router.route("GET", "/log-exports")).isInstanceOf(Router.NotFound.class);
        assertThat(router.route("GET", "/log-exports/x/")).isInstanceOf(Router.NotFound.class);
        assertThat(router.route("GET", "/log-exports//x")).isInstanceOf(Router.NotFound.class);
        assertThat(router.route("GET", "/usecases/u/trainings/a/b/logs/download")).isInstanceOf(Router.NotFound.class);
        assertThat(router.route("OPTIONS", "/nowhere")).isInstanceOf(Router.NotFound.class);
    }

    @Test
    void route_shouldKeepAPercentEncodedSlashInsideItsSegment_soValidationRejectsIt() {
        var route = router.route("POST", "/usecases/uc-a/trainings/job%2F..%2Fother/log-exports");
        assertThat(route).isEqualTo(new Router.Matched(Operation.CREATE_EXPORT,
                Map.of("usecaseId", "uc-a", "trainingId", "job%2F..%2Fother")));
        assertThat(Identifiers.isTrainingId("job%2F..%2Fother")).isFalse();
    }
}
