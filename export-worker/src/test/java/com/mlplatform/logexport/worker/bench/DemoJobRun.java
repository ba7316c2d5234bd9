package com.mlplatform.logexport.worker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.testing.InMemoryLogSource;
import com.mlplatform.logexport.worker.testing.InMemoryMultipartStore;
import com.mlplatform.logexport.worker.testing.InvocationRunner;
import com.mlplatform.logexport.worker.testing.ManualClock;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo job of {@code ./dev up} ({@code fraud-transformer-dist-v3} in the local stack's demo seed) exported in
 * memory through the real export invocation, plain and gzip, in each format: object size, and the worker's CPU time
 * per export (this thread's CPU time, averaged over repeated exports after a warm-up).
 *
 * <p>Arguments: {@code [seed=local-stack/src/main/resources/local-stack/demo-seed.json]
 * [trainingJob=fraud-transformer-dist-v3] [repeats=200]}.
 */
public final class DemoJobRun {

    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

    private DemoJobRun() {
    }

    public static void main(String[] args) throws Exception {
        Path seed = Path.of(args.length > 0 ? args[0] : "local-stack/src/main/resources/local-stack/demo-seed.json");
        String training = args.length > 1 ? args[1] : "fraud-transformer-dist-v3";
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        InMemoryLogSource source = source(Json.MAPPER.readTree(Files.readString(seed)), training);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("%-6s %-5s %12s %8s %14s%n", "format", "gzip", "bytes", "ratio", "CPU ms/export");
        for (ExportFormat format : ExportFormat.values()) {
            long plainSize = 0;
            for (ExportCompression compression : ExportCompression.values()) {
                ExportJob job = job(training, new ExportOptions(format, null, null, compression));
                long size = export(job, source);
                for (int i = 0; i < repeats; i++) {
                    export(job, source);
                }
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < repeats; i++) {
                    export(job, source);
                }
                double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / repeats;
                plainSize = compression == ExportCompression.NONE ? size : plainSize;
                System.out.printf(Locale.ROOT, "%-6s %-5s %,12d %7.1f%% %14.2f%n", format.wireName(),
                        compression.wireName(), size, 100.0 * size / plainSize, cpuMs);
            }
        }
    }

    private static long export(ExportJob job, InMemoryLogSource source) {
        InMemoryMultipartStore store = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        return new InvocationRunner(new ManualClock(NOW), store, PartSizePolicy.forS3(8 * PartSizePolicy.MIB))
                .run(job, source, Duration.ofDays(1)).file().length;
    }

    /** The seed's streams of {@code training}: {@code <job>/<host>-<start epoch s>}, times relative to now. */
    private static InMemoryLogSource source(JsonNode seed, String training) {
        InMemoryLogSource source = new InMemoryLogSource();
        for (JsonNode usecase : seed.get("usecases")) {
            for (JsonNode job : usecase.get("trainingJobs")) {
                if (!job.get("name").asText().equals(training)) {
                    continue;
                }
                for (JsonNode stream : job.get("streams")) {
                    Instant started = NOW.plus(relative(stream.get("startedAt").asText()));
                    List<LogEvent> events = new ArrayList<>();
                    for (JsonNode e : stream.get("events")) {
                        events.add(new LogEvent(started.plus(relative(e.get("at").asText())).toEpochMilli(),
                                e.get("message").asText()));
                    }
                    source.stream(training + "/" + stream.get("host").asText() + "-" + started.getEpochSecond(),
                            events);
                }
            }
        }
        return source;
    }

    /** {@code +6m17.535s}, {@code -3h}, {@code -4h10m} as ISO-8601 durations. */
    private static Duration relative(String text) {
        String sign = text.startsWith("-") ? "-" : "";
        return Duration.parse(sign + "PT" + text.replaceFirst("^[+-]", "").toUpperCase(Locale.ROOT));
    }

    private static ExportJob job(String training, ExportOptions options) {
        return new ExportJob("exp-demo0000000000000000000000", "fraud-detection", training, "alice", options,
                ExportStatus.RUNNING, NOW, NOW, null, Progress.NONE, null, null, null, 1);
    }
}
