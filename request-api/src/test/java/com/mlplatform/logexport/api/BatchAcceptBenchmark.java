package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Accept time of a batch on the emulator, 1,000 and 5,000 ids, three requests each on a fresh emulator, and the
 * time the fan-out then takes to create and queue each 1,000-id batch's exports (asynchronous: no client waits for
 * it; the 5,000-id batches are not fanned out here, moto's SQS cost grows with the queue's depth). Not part of the default build (the class name matches neither *Test nor *IT); run it with
 *
 * <pre>./mvnw -B -pl request-api -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=BatchAcceptBenchmark</pre>
 *
 * Figures go to stdout and to {@code request-api/target/batch-accept-benchmark.txt}; docs/api.md quotes them.
 */
class BatchAcceptBenchmark {

    private static final int RUNS = 3;

    @Test
    void acceptTime_of1000And5000Ids() throws Exception {
        StringBuilder report = new StringBuilder(String.format("batch accept benchmark (%s, %d cores, load %.1f)%n",
                java.time.Instant.now(), Runtime.getRuntime().availableProcessors(), load()));
        long[] fanoutMs = new long[RUNS];
        int[] depth = new int[RUNS];
        for (int n : new int[] {1_000, 5_000}) {
            long[] ms = new long[RUNS];
            ApiHarness api = warmedUp(n);
            try {
                for (int run = 0; run < RUNS; run++) {
                    if (n == 1_000 && run > 0) {
                        // Each 1,000-id run on a fresh emulator, so that its fan-out starts from an empty export
                        // queue: moto's send cost grows with the queue's depth (and PurgeQueue is once a minute).
                        api.close();
                        api = warmedUp(n);
                    }
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        ids.add("bench-" + n + "-" + run + "-" + i + "-fraud-transformer-sweep-lr0001-seed");
                    }
                    long t0 = System.nanoTime();
                    var batch = api.call("POST", "/usecases/uc-a/log-exports", "alice",
                            Json.write(Map.of("trainingIds", ids))).assertStatus(202);
                    ms[run] = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(batch.json().get("exports")).hasSize(n)
                            .allSatisfy(e -> assertThat(e.has("exportId")).isTrue());
                    if (n == 1_000) {
                        long t1 = System.nanoTime();
                        api.runFanout();
                        fanoutMs[run] = (System.nanoTime() - t1) / 1_000_000;
                        String batchId = batch.text("/batchId");
                        assertThat(api.jobsOf("alice")).filteredOn(j -> batchId.equals(j.batchId())).hasSize(n);
                        depth[run] = api.queueDepth();
                        assertThat(depth[run]).as("at least one message per export").isGreaterThanOrEqualTo(n);
                    }
                }
            } finally {
                api.close();
            }
            report.append(String.format("  1 batch request of %,d ids: %s ms (load %.1f)%n", n, Arrays.toString(ms),
                    load()));
        }
        report.append(String.format("  fan-out of each 1,000-id batch (after its accept): %s ms, export queue depth "
                + "after each: %s%n", Arrays.toString(fanoutMs), Arrays.toString(depth)));
        System.out.println(report);
        Files.writeString(Path.of("target", "batch-accept-benchmark.txt"), report.toString());
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** A fresh emulator, the cap out of the way, JIT/clients/connections warmed, empty queues. */
    private static ApiHarness warmedUp(int n) {
        ApiHarness api = ApiHarness.started();
        api.reconfigure(api.config().withMaxActiveExportsPerUser(10 * n));
        api.call("POST", "/usecases/uc-a/log-exports", "bob", "{\"trainingIds\":[\"warm-1\",\"warm-2\"]}")
                .assertStatus(202);
        api.runFanout();
        api.drainQueue();
        return api;
    }
}
