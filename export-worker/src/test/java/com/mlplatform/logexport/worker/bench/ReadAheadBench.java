package com.mlplatform.logexport.worker.bench;

import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.worker.ExportWorkerHandler;
import com.mlplatform.logexport.worker.WorkerFixture;
import com.mlplatform.logexport.worker.WorkerSetup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * End-to-end export time where round trips and quotas cost what they cost in AWS: the real worker
 * ({@link ExportWorkerHandler}: lease, assume role, CloudWatchLogSource, merge, multipart upload, ledger) against the
 * emulator, every AWS call through a {@link LatencyProxy} (50 ms fixed, then heavy-tailed 30–80 ms) that also
 * throttles CloudWatch Logs above the account's quotas. The sequential reader and the read-ahead export the same
 * seeded training jobs one after the other in one run; printed as times, ratios and peak heap. Not a test: see
 * docs/worker.md for the command and figures.
 *
 * <p>Arguments: {@code [scale=1.0] [repeats=1]}; scale multiplies the events of the three shapes (1 × 200,000,
 * 8 × 25,000 and 64 × 3,000 at 1.0). Each figure is the median of {@code repeats} exports.
 */
public final class ReadAheadBench {

    /**
     * The account's quotas for the two read calls the worker makes: 25 requests a second each.
     *
     * @see <a href="https://docs.aws.amazon.com/general/latest/gr/cwl_region.html">CloudWatch Logs quotas</a>
     */
    static final Map<String, Double> QUOTAS = Map.of("GetLogEvents", 25.0, "DescribeLogStreams", 25.0);
    static final String READ_AHEAD_THREADS = "LOG_READ_AHEAD_THREADS";

    record Shape(int streams, int eventsPerStream) {
        String training() {
            return "bench-" + streams + "x" + eventsPerStream;
        }

        @Override
        public String toString() {
            return String.format("%d × %,d", streams, eventsPerStream);
        }
    }

    record Measure(double seconds, long pages, long throttled, long peakHeapMb, long peakLiveMb, long bytes,
                   int invocations) {
    }

    private ReadAheadBench() {
    }

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        List<Shape> shapes = List.of(new Shape(1, (int) (200_000 * scale)), new Shape(8, (int) (25_000 * scale)),
                new Shape(64, (int) (3_000 * scale)));
        WorkerFixture fx = new WorkerFixture();
        fx.start();
        long seedStart = System.nanoTime();
        for (Shape shape : shapes) {
            seed(fx, shape);
        }
        System.out.printf("seeded %s in %.0f s%n", shapes, (System.nanoTime() - seedStart) / 1e9);

        try (LatencyProxy proxy = new LatencyProxy(fx.platform.emulator().endpoint(), QUOTAS);
             AwsClients clients = new AwsClients(new AwsSettings(Emulator.REGION, Optional.of(proxy.endpoint()),
                     fx.platform.emulator().platformSettings().credentials()))) {
            WorkerSetup setup = WorkerSetup.of(clients, fx.config());
            Map<String, LatencyProxy.Latency> latencies = new LinkedHashMap<>();
            latencies.put("50 ms fixed", LatencyProxy.Latency.fixed(50));
            latencies.put("30–80 ms lognormal", LatencyProxy.Latency.heavyTailed(11));
            System.out.printf("%n| latency | streams × events | sequential | read-ahead | speed-up | GetLogEvents calls "
                    + "| quota bound (calls ÷ 25/s) | read-ahead ÷ bound | throttled (seq / ahead) | peak heap MB, "
                    + "in use / live (seq) | (ahead) |%n|---|---|---|---|---|---|---|---|---|---|---|%n");
            for (var latency : latencies.entrySet()) {
                for (Shape shape : shapes) {
                    List<Measure> sequential = new ArrayList<>();
                    List<Measure> ahead = new ArrayList<>();
                    for (int r = 0; r < repeats; r++) {
                        sequential.add(export(fx, setup, proxy, latency.getValue(), shape, "0"));
                        ahead.add(export(fx, setup, proxy, latency.getValue(), shape, "16"));
                    }
                    Measure s = median(sequential);
                    Measure a = median(ahead);
                    double bound = a.pages() / QUOTAS.get("GetLogEvents");
                    System.out.printf("| %s | %s | %.2f s | %.2f s | %.2f× | %d | %.2f s | %.2f× | %d / %d "
                                    + "| %d / %d | %d / %d |%n", latency.getKey(), shape, s.seconds(), a.seconds(),
                            s.seconds() / a.seconds(), a.pages(), bound, a.seconds() / bound, s.throttled(),
                            a.throttled(), s.peakHeapMb(), s.peakLiveMb(), a.peakHeapMb(), a.peakLiveMb());
                    if (s.bytes() != a.bytes()) {
                        throw new AssertionError("files differ in size: " + s.bytes() + " vs " + a.bytes());
                    }
                }
            }
        } finally {
            fx.close();
        }
    }

    private static void seed(WorkerFixture fx, Shape shape) {
        long t0 = System.currentTimeMillis() - 6 * 3_600_000L;
        try (var seeder = fx.seeder()) {
            for (int h = 0; h < shape.streams(); h++) {
                List<Event> events = new ArrayList<>(shape.eventsPerStream());
                for (int i = 0; i < shape.eventsPerStream(); i++) {
                    events.add(new Event(t0 + (long) i * shape.streams() + h, "[host " + h + "] step " + i
                            + " loss=" + (1.0 / (i + 1)) + " lr=0.0003 throughput=1234.5 samples/s"));
                }
                seeder.putEvents(WorkerFixture.LOG_GROUP, shape.training() + "/algo-" + (h + 1) + "-1700000000",
                        events);
            }
        }
    }

    /** One export of {@code shape}'s training job through the proxy, with the reader {@code threads} selects. */
    private static Measure export(WorkerFixture fx, WorkerSetup setup, LatencyProxy proxy,
                                  LatencyProxy.Latency latency, Shape shape, String threads) throws Exception {
        System.setProperty(READ_AHEAD_THREADS, threads);
        ExportWorkerHandler handler = new ExportWorkerHandler(setup);
        ExportJob job = fx.createJob(shape.training(), ExportOptions.DEFAULT);
        System.gc();
        proxy.reset(latency, QUOTAS);
        HeapWatch watch = HeapWatch.watch();
        long start = System.nanoTime();
        int invocations = fx.runToCompletion(handler, WorkerFixture.start(job), 900_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        watch.finish();
        ExportJob done = fx.job(job.exportId());
        if (done.status() != ExportStatus.SUCCEEDED) {
            throw new AssertionError(shape + " with " + threads + " threads ended " + done.status() + ": "
                    + done.error());
        }
        return new Measure(seconds, proxy.served("GetLogEvents"), proxy.throttled("GetLogEvents")
                + proxy.throttled("DescribeLogStreams"), watch.peakUsed >> 20, watch.peakAfterGc() >> 20,
                done.result().sizeBytes(), invocations);
    }

    private static Measure median(List<Measure> runs) {
        Measure[] sorted = runs.toArray(new Measure[0]);
        Arrays.sort(sorted, (x, y) -> Double.compare(x.seconds(), y.seconds()));
        return sorted[sorted.length / 2];
    }
}
