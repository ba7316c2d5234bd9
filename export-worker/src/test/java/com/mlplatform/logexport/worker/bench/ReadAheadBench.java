package com.mlplatform.logexport.worker.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.bench.BenchJob;
import com.mlplatform.logexport.emulator.bench.LatencyProxy;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.worker.ExportWorkerHandler;
import com.mlplatform.logexport.worker.WorkerFixture;
import com.mlplatform.logexport.worker.WorkerSetup;
import com.mlplatform.logexport.worker.readbudget.ReadBudgetSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * End-to-end export time where round trips and quotas cost what they cost in AWS: the real worker
 * ({@link ExportWorkerHandler}: lease, assume role, CloudWatchLogSource, read budget, merge, multipart upload,
 * ledger) against the emulator, every AWS call through a {@link LatencyProxy} (50 ms fixed, then heavy-tailed
 * 30–80 ms) that throttles CloudWatch Logs above each account's quotas and replays GetLogEvents pages recorded in a
 * warm-up pass (so a measured call costs the modelled round trip, not moto's Python). Printed, in one run: where
 * the time goes without latency (the warm-up's profile), the sequential reader vs the read-ahead per shape, 20
 * concurrent exports of one account, and two accounts at once. Not a test: see docs/worker.md.
 *
 * <p>Arguments: {@code [scale=1.0] [repeats=1] [all|concurrent]}; scale multiplies the events of the three shapes
 * (1 × 200,000, 8 × 25,000 and 64 × 3,000 at 1.0). Each per-shape figure is the median of {@code repeats} exports.
 * {@code concurrent} skips the per-shape table and runs only the concurrent exports (each followed by where its time
 * went, see {@link #whereTheTimeWent}).
 */
public final class ReadAheadBench {

    /**
     * The account's quotas for the two read calls the worker makes (see ReadBudgetSettings for the sources).
     *
     * @see <a href="https://docs.aws.amazon.com/general/latest/gr/cwl_region.html">CloudWatch Logs quotas</a>
     */
    static final Map<String, Double> QUOTAS = Map.of("GetLogEvents", 25.0, "DescribeLogStreams", 5.0);
    static final String READ_AHEAD_THREADS = "LOG_READ_AHEAD_THREADS";
    static final String USECASE_B = "uc-bench-b";
    static final int CONCURRENT = 20;
    static final int BUSY = 15;
    /**
     * As many GetLogEvents calls as the 8 × 25,000 batch (32: a page of events and the empty page that ends each
     * stream) with 1/250 of its events, so twenty exports in one JVM on two cores are limited by the quota, not by
     * parsing and merging 200,000 events each (on Lambda each export has its own container and CPU).
     */
    static final BenchJob LIGHT = new BenchJob(16, 50);

    record Measure(double seconds, long pages, long throttled, long peakHeapMb, long peakLiveMb, long bytes,
                   long replayed) {
    }

    private ReadAheadBench() {
    }

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean readers = args.length <= 2 || !args[2].equals("concurrent");
        List<BenchJob> shapes = List.of(new BenchJob(1, (int) (200_000 * scale)), new BenchJob(8, (int) (25_000 * scale)),
                new BenchJob(64, (int) (3_000 * scale)));
        BenchJob batch = shapes.get(1);
        WorkerFixture fx = new WorkerFixture();
        fx.start();
        fx.registerUseCase(USECASE_B, Accounts.USECASE_B);
        long seedStart = System.nanoTime();
        for (BenchJob shape : readers ? shapes : List.of(batch)) {
            seed(fx, Accounts.USECASE_A, shape);
        }
        seed(fx, Accounts.USECASE_A, LIGHT);
        seed(fx, Accounts.USECASE_B, LIGHT);
        System.out.printf("seeded %s and %s (and %s in a second account) in %.0f s%n", readers ? shapes : batch,
                LIGHT, LIGHT, (System.nanoTime() - seedStart) / 1e9);

        try (LatencyProxy proxy = new LatencyProxy(fx.platform.emulator().endpoint(), QUOTAS);
             AwsClients clients = new AwsClients(new AwsSettings(Emulator.REGION, Optional.of(proxy.endpoint()),
                     fx.platform.emulator().platformSettings().credentials()))) {
            WorkerSetup setup = WorkerSetup.of(clients, fx.config());
            profileAndRecord(fx, setup, proxy, readers ? shapes : List.of(batch));
            if (readers) {
                Map<String, LatencyProxy.Latency> latencies = new LinkedHashMap<>();
                latencies.put("50 ms fixed", LatencyProxy.Latency.fixed(50));
                latencies.put("30–80 ms lognormal", LatencyProxy.Latency.heavyTailed(11));
                readers(fx, setup, proxy, shapes, latencies, repeats);
            }
            String a = WorkerFixture.USECASE_ID;
            concurrent(fx, setup, proxy, "20 exports of one account", batch, Collections.nCopies(CONCURRENT, a));
            concurrent(fx, setup, proxy, "20 light exports of one account", LIGHT, Collections.nCopies(CONCURRENT, a));
            List<String> twoAccounts = new ArrayList<>();
            for (int i = 0; i < CONCURRENT / 2; i++) {
                twoAccounts.add(a);
                twoAccounts.add(USECASE_B);
            }
            concurrent(fx, setup, proxy, "10 + 10 light exports of two accounts", LIGHT, twoAccounts);
            concurrent(fx, setup, proxy, "one light export alone", LIGHT, List.of(USECASE_B));
            List<String> busyAndQuiet = new ArrayList<>(Collections.nCopies(BUSY, a));
            busyAndQuiet.add(BUSY / 2, USECASE_B);
            concurrent(fx, setup, proxy, BUSY + " light exports of a busy account, 1 of a quiet one", LIGHT,
                    busyAndQuiet);
        } finally {
            fx.close();
        }
    }

    /**
     * Without modelled latency or quota: every shape exported once sequentially, recording its GetLogEvents pages for
     * replay, with the time the emulator spent per operation beside the export's own time.
     */
    private static void profileAndRecord(WorkerFixture fx, WorkerSetup setup, LatencyProxy proxy, List<BenchJob> shapes)
            throws Exception {
        System.out.printf("%nWhere the time goes on plain moto (no modelled latency or quota; sequential reader; "
                + "moto's time per operation as the proxy saw it):%n%n| streams × events | export | moto "
                + "GetLogEvents (calls) | moto S3 | moto DynamoDB | moto other |%n|---|---|---|---|---|---|%n");
        for (BenchJob shape : shapes) {
            proxy.reset(LatencyProxy.Latency.fixed(0), Map.of(), LatencyProxy.Mode.RECORD);
            Measure m = export(fx, setup, proxy, WorkerFixture.USECASE_ID, shape, "0");
            Map<String, Double> upstream = proxy.upstreamMillis();
            double logs = upstream.getOrDefault("logs:GetLogEvents", 0.0);
            double s3 = sum(upstream, "s3:");
            double dynamo = sum(upstream, "DynamoDB:");
            double other = upstream.values().stream().mapToDouble(Double::doubleValue).sum() - logs - s3 - dynamo;
            System.out.printf("| %s | %.2f s | %.2f s (%d) | %.2f s | %.2f s | %.2f s |%n", shape, m.seconds(),
                    logs / 1000, proxy.upstreamCalls("logs:GetLogEvents"), s3 / 1000, dynamo / 1000,
                    other / 1000);
        }
        proxy.reset(LatencyProxy.Latency.fixed(0), Map.of(), LatencyProxy.Mode.RECORD);
        export(fx, setup, proxy, WorkerFixture.USECASE_ID, LIGHT, "0");
        proxy.reset(LatencyProxy.Latency.fixed(0), Map.of(), LatencyProxy.Mode.RECORD);
        export(fx, setup, proxy, USECASE_B, LIGHT, "0");
    }

    private static void readers(WorkerFixture fx, WorkerSetup setup, LatencyProxy proxy, List<BenchJob> shapes,
                                Map<String, LatencyProxy.Latency> latencies, int repeats) throws Exception {
        System.out.printf("%n| latency | streams × events | sequential | read-ahead | speed-up | GetLogEvents calls "
                + "| quota bound (calls ÷ 25/s) | read-ahead ÷ bound | throttled (seq / ahead) | peak heap MB, "
                + "in use / live (seq) | (ahead) | pages replayed |%n|---|---|---|---|---|---|---|---|---|---|---|---|%n");
        for (var latency : latencies.entrySet()) {
            for (BenchJob shape : shapes) {
                List<Measure> sequential = new ArrayList<>();
                List<Measure> ahead = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    proxy.reset(latency.getValue(), QUOTAS, LatencyProxy.Mode.REPLAY);
                    sequential.add(export(fx, setup, proxy, WorkerFixture.USECASE_ID, shape, "0"));
                    proxy.reset(latency.getValue(), QUOTAS, LatencyProxy.Mode.REPLAY);
                    ahead.add(export(fx, setup, proxy, WorkerFixture.USECASE_ID, shape, "8"));
                }
                Measure s = median(sequential);
                Measure a = median(ahead);
                double bound = a.pages() / QUOTAS.get("GetLogEvents");
                System.out.printf("| %s | %s | %.2f s | %.2f s | %.2f× | %d | %.2f s | %.2f× | %d / %d "
                                + "| %d / %d | %d / %d | %d / %d |%n", latency.getKey(), shape, s.seconds(),
                        a.seconds(), s.seconds() / a.seconds(), a.pages(), bound, a.seconds() / bound, s.throttled(),
                        a.throttled(), s.peakHeapMb(), s.peakLiveMb(), a.peakHeapMb(), a.peakLiveMb(),
                        a.replayed(), a.pages());
                if (s.bytes() != a.bytes()) {
                    throw new AssertionError("files differ in size: " + s.bytes() + " vs " + a.bytes());
                }
            }
        }
    }

    /**
     * {@code usecases.size()} exports of {@code shape} started at once, one worker container each (its own handler,
     * so its own read budgets, which meet in the exports table), read-ahead and shared budget as deployed, 50 ms.
     */
    private static void concurrent(WorkerFixture fx, WorkerSetup setup, LatencyProxy proxy, String title, BenchJob shape,
                                   List<String> usecases) throws Exception {
        System.setProperty(READ_AHEAD_THREADS, "8");
        List<ExportJob> jobs = usecases.stream().map(u -> fx.createJob(u, shape.training())).toList();
        List<ExportWorkerHandler> handlers = jobs.stream().map(j -> new ExportWorkerHandler(setup)).toList();
        System.gc();
        proxy.reset(LatencyProxy.Latency.fixed(50), QUOTAS, LatencyProxy.Mode.REPLAY);
        HeapWatch watch = HeapWatch.watch();
        ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Double>> finished = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < jobs.size(); i++) {
            ExportJob job = jobs.get(i);
            ExportWorkerHandler handler = handlers.get(i);
            finished.add(pool.submit(() -> {
                go.await();
                SQSBatchResponse response = handler.handleRequest(WorkerFixture.start(job),
                        CountdownContext.ofMillis("export-worker", 900_000));
                if (!response.getBatchItemFailures().isEmpty()) {
                    throw new AssertionError("delivery failed for " + job.exportId());
                }
                return (System.nanoTime() - start) / 1e9;
            }));
        }
        go.countDown();
        double[] times = new double[jobs.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = finished.get(i).get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        watch.finish();
        long failed = jobs.stream().filter(j -> fx.job(j.exportId()).status() != ExportStatus.SUCCEEDED).count();
        long budgetWrites = proxy.upstreamCalls("DynamoDB:UpdateItem (read budget)");
        System.out.printf("%n**%s** (%s each, read-ahead 8 threads, shared budget, 50 ms): all done in %.2f s; "
                + "exports not SUCCEEDED: %d; peak heap %d MB in use / %d MB live; read-budget writes %d%n%n"
                + "| account | exports | GetLogEvents calls | throttled answers | calls ÷ 25/s | calls ÷ (25/s × its "
                + "time) | its exports finished (first / median / last) |%n|---|---|---|---|---|---|---|%n",
                title, shape, seconds, failed, watch.peakUsed >> 20, watch.peakAfterGc() >> 20, budgetWrites);
        List<String> accounts = new ArrayList<>();
        for (String usecase : usecases.stream().distinct().toList()) {
            String account = accountOf(usecase);
            accounts.add(account);
            double[] own = new double[(int) usecases.stream().filter(usecase::equals).count()];
            int k = 0;
            for (int i = 0; i < usecases.size(); i++) {
                if (usecases.get(i).equals(usecase)) {
                    own[k++] = times[i];
                }
            }
            Arrays.sort(own);
            long calls = proxy.served(account, "GetLogEvents");
            double last = own[own.length - 1];
            System.out.printf("| %s | %d | %d | %d | %.2f s | %.0f %% | %.2f / %.2f / %.2f s |%n", account, own.length,
                    calls, proxy.throttled(account, "GetLogEvents") + proxy.throttled(account, "DescribeLogStreams"),
                    calls / QUOTAS.get("GetLogEvents"), 100 * calls / (QUOTAS.get("GetLogEvents") * last), own[0],
                    own[own.length / 2], last);
        }
        whereTheTimeWent(proxy, usecases, times, accounts);
    }

    private static String accountOf(String usecase) {
        return usecase.equals(USECASE_B) ? Accounts.USECASE_B : Accounts.USECASE_A;
    }

    /**
     * Splits each account's time to its last export into: before its first GetLogEvents answer (claiming, the role,
     * listing at 5/s), reading (first to last GetLogEvents answer), and after (completing the upload, the ledger);
     * and the reading span's shortfall into tokens reserved and never spent (reserved − calls, each 1 ÷ 25 s of the
     * quota) and seconds in which the bucket was not booked ahead (nobody asked: ramp-up, tail, a slow harness).
     * Then the timeline, per second: GetLogEvents answers per account, how far ahead its bucket is booked, exports
     * done.
     */
    private static void whereTheTimeWent(LatencyProxy proxy, List<String> usecases, double[] times,
                                         List<String> accounts) {
        double rate = QUOTAS.get("GetLogEvents");
        double perToken = 1000 / rate;
        int lease = ReadBudgetSettings.DEFAULT.lease();
        List<LatencyProxy.Mark> marks = proxy.timeline();
        double end = Arrays.stream(times).max().orElse(0);
        int seconds = (int) Math.ceil(end);
        System.out.printf("%n| account | time to last export | before first GetLogEvents | reading (first to last "
                + "GetLogEvents) | after | calls ÷ (25/s × reading + 1) | tokens reserved / spent / lost | reading "
                + "seconds the bucket was not booked through |%n|---|---|---|---|---|---|---|---|%n");
        Map<String, double[]> bookedBySecond = new LinkedHashMap<>();
        Map<String, int[]> callsBySecond = new LinkedHashMap<>();
        for (String account : accounts) {
            double[] gets = marks.stream().filter(m -> m.account().equals(account) && m.kind().equals("GetLogEvents"))
                    .mapToDouble(LatencyProxy.Mark::seconds).sorted().toArray();
            double[] bookings = marks.stream().filter(m -> m.account().equals(account) && m.kind().equals("budget"))
                    .mapToDouble(m -> (m.bookedUntil() - proxy.resetAtEpochMillis()) / 1000).toArray();
            double last = 0;
            for (int i = 0; i < usecases.size(); i++) {
                if (accountOf(usecases.get(i)).equals(account)) {
                    last = Math.max(last, times[i]);
                }
            }
            double first = gets[0];
            double lastGet = gets[gets.length - 1];
            // The run starts on an idle bucket, so the first reservation is a whole lease (SharedReadBudget).
            double reservedFrom = Arrays.stream(bookings).min().orElse(0) - lease / rate;
            long reserved = Math.round((Arrays.stream(bookings).max().orElse(0) - reservedFrom) * rate);
            int[] calls = new int[seconds + 1];
            for (double g : gets) {
                calls[(int) g]++;
            }
            double[] booked = new double[seconds + 1];
            int notBooked = 0;
            for (int t = 0; t <= seconds; t++) {
                double bookedAt = Double.NEGATIVE_INFINITY;
                for (LatencyProxy.Mark m : marks) {
                    if (m.account().equals(account) && m.kind().equals("budget") && m.seconds() <= t) {
                        bookedAt = Math.max(bookedAt, (m.bookedUntil() - proxy.resetAtEpochMillis()) / 1000);
                    }
                }
                booked[t] = bookedAt - t;
                if (t >= Math.ceil(first) && t + 1 <= lastGet && bookedAt < t + 1) {
                    notBooked++;
                }
            }
            bookedBySecond.put(account, booked);
            callsBySecond.put(account, calls);
            System.out.printf("| %s | %.2f s | %.2f s | %.2f s | %.2f s | %.0f %% | %d / %d / %d | %d |%n", account,
                    last, first, lastGet - first, last - lastGet, 100 * gets.length / (rate * (lastGet - first) + 1),
                    reserved, gets.length, reserved - gets.length, notBooked);
        }
        StringBuilder header = new StringBuilder("%n| second |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String account : accounts) {
            header.append(" ").append(account).append(" calls | booked ahead |");
            rule.append("---|---|");
        }
        System.out.printf(header + " exports done |%n" + rule + "---|%n");
        for (int t = 0; t < seconds; t++) {
            StringBuilder row = new StringBuilder("| " + t + "–" + (t + 1) + " |");
            for (String account : accounts) {
                double ahead = bookedBySecond.get(account)[t];
                row.append(" ").append(callsBySecond.get(account)[t]).append(" | ")
                        .append(Double.isInfinite(ahead) ? "–" : String.format("%.1f s", ahead)).append(" |");
            }
            int tt = t;
            row.append(" ").append(Arrays.stream(times).filter(x -> x >= tt && x < tt + 1).count()).append(" |");
            System.out.println(row);
        }
    }

    private static double sum(Map<String, Double> millis, String prefix) {
        return millis.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static void seed(WorkerFixture fx, String account, BenchJob shape) {
        try (var seeder = fx.platform.seeder(account)) {
            shape.seed(seeder, WorkerFixture.LOG_GROUP, System.currentTimeMillis() - 6 * 3_600_000L);
        }
    }

    /** One export of {@code shape}'s training job through the proxy, with the reader {@code threads} selects. */
    private static Measure export(WorkerFixture fx, WorkerSetup setup, LatencyProxy proxy, String usecase,
                                  BenchJob shape, String threads) throws Exception {
        System.setProperty(READ_AHEAD_THREADS, threads);
        ExportWorkerHandler handler = new ExportWorkerHandler(setup);
        ExportJob job = fx.createJob(usecase, shape.training());
        System.gc();
        HeapWatch watch = HeapWatch.watch();
        long start = System.nanoTime();
        fx.runToCompletion(handler, WorkerFixture.start(job), 900_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        watch.finish();
        ExportJob done = fx.job(job.exportId());
        if (done.status() != ExportStatus.SUCCEEDED) {
            throw new AssertionError(shape + " with " + threads + " threads ended " + done.status() + ": "
                    + done.error());
        }
        return new Measure(seconds, proxy.served("GetLogEvents"), proxy.throttled("GetLogEvents")
                + proxy.throttled("DescribeLogStreams"), watch.peakUsed >> 20, watch.peakAfterGc() >> 20,
                done.result().sizeBytes(), proxy.replayed());
    }

    private static Measure median(List<Measure> runs) {
        Measure[] sorted = runs.toArray(new Measure[0]);
        Arrays.sort(sorted, (x, y) -> Double.compare(x.seconds(), y.seconds()));
        return sorted[sorted.length / 2];
    }
}
