package com.mlplatform.logexport.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RouterProperties {

    private final Router router = new Router();

    @Property(tries = 2000)
    void route_neverThrows_andPreflightOnlyForOptions(@ForAll("methods") String method, @ForAll("paths") String path) {
        Router.Route route = router.route(method, path);
        assertThat(route).isNotNull();
        if (route instanceof Router.Preflight) {
            assertThat(method).isEqualTo("OPTIONS");
        }
        if (route instanceof Router.MethodNotAllowed m) {
            assertThat(m.allowedMethods()).contains("OPTIONS").doesNotContain(method);
        }
        if (route instanceof Router.Matched m) {
            assertThat(m.operation().method()).isEqualTo(method);
            assertThat(m.params().values()).allSatisfy(v -> assertThat(v).isNotEmpty().doesNotContain("/"));
        }
    }

    @Property(tries = 1000)
    void aSegmentWithPercentEncoding_isNeverAValidIdentifier(@ForAll("encoded") String segment) {
        assertThat(Identifiers.isTrainingId(segment)).isFalse();
        assertThat(catchesInvalid(() -> Identifiers.usecaseId(segment))).isTrue();
        assertThat(catchesInvalid(() -> Identifiers.exportId(segment))).isTrue();
    }

    private static boolean catchesInvalid(Runnable r) {
        try {
            r.run();
            return false;
        } catch (ApiException e) {
            return true;
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.oneOf(Arbitraries.of("GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", ""),
                Arbitraries.strings().ofMaxLength(8));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("usecases", "trainings", "log-exports", "log-export-batches", "logs", "download",
                        "uc-a", "job-1", "%2F", "..", ""),
                Arbitraries.strings().ofMaxLength(12));
        return segment.list().ofMaxSize(7).map(l -> "/" + String.join("/", l));
    }

    @Provide
    Arbitrary<String> encoded() {
        Arbitrary<String> word = Arbitraries.strings().alpha().numeric().ofMaxLength(10);
        return Arbitraries.of("%2F", "%2f", "%5C", "%00", "%2E%2E", "%20")
                .flatMap(enc -> word.flatMap(a -> word.map(b -> a + enc + b)));
    }
}
