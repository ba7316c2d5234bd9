package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Accept time of 1,000 trainings on the emulator: one batch request against 1,000 single requests sent one after
 * the other (what a script without the batch route does). Not part of the default build (the class name matches
 * neither *Test nor *IT); run it with
 *
 * <pre>./mvnw -B -pl request-api -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=BatchAcceptBenchmark</pre>
 *
 * Figures go to stdout and to {@code request-api/target/batch-accept-benchmark.txt}; docs/api.md quotes them.
 */
class BatchAcceptBenchmark {

    private static final int N = 1000;

    @Test
    void batchVersusOneByOne() throws Exception {
        // Each run starts on a freshly reset emulator with an empty queue: moto's SQS send cost grows with queue
        // depth (see BatchExportIT), which would otherwise favour whichever runs first.
        long batchMs;
        try (ApiHarness api = warmedUp()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                ids.add("bench-batch-" + i);
            }
            long t0 = System.nanoTime();
            var batch = api.call("POST", "/usecases/uc-a/log-exports", "alice",
                    Json.write(Map.of("trainingIds", ids))).assertStatus(202);
            batchMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(batch.json().get("exports")).allSatisfy(e -> assertThat(e.has("exportId")).isTrue());
            assertThat(api.queueDepth()).isEqualTo(N);
        }
        long singleMs;
        try (ApiHarness api = warmedUp()) {
            long t1 = System.nanoTime();
            for (int i = 0; i < N; i++) {
                api.call("POST", "/usecases/uc-a/trainings/bench-single-" + i + "/log-exports", "alice")
                        .assertStatus(202);
            }
            singleMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(api.queueDepth()).isEqualTo(N);
        }

        String report = String.format("""
                batch accept benchmark (%s, %d cores, load average %.1f)
                  1 batch request of %d ids  : %,8d ms
                  %d single requests, in turn: %,8d ms  (%.1f ms each)
                  speed-up                   : %8.1fx
                """, java.time.Instant.now(), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                N, batchMs, N, singleMs, singleMs / (double) N, singleMs / (double) Math.max(1, batchMs));
        System.out.println(report);
        Files.writeString(Path.of("target", "batch-accept-benchmark.txt"), report);
    }

    /** A fresh emulator, the cap out of the way, JIT/clients/connections warmed on both routes, empty queue. */
    private static ApiHarness warmedUp() {
        ApiHarness api = ApiHarness.started();
        api.reconfigure(api.config().withMaxActiveExportsPerUser(10 * N));
        api.call("POST", "/usecases/uc-a/log-exports", "bob", "{\"trainingIds\":[\"warm-1\",\"warm-2\"]}")
                .assertStatus(202);
        api.call("POST", "/usecases/uc-a/trainings/warm-3/log-exports", "bob").assertStatus(202);
        api.drainQueue();
        return api;
    }
}
