package com.mlplatform.logexport.worker.bench;

import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.invocation.ExportBucket;
import com.mlplatform.logexport.worker.invocation.ExportInvocation;
import com.mlplatform.logexport.worker.invocation.InvocationLedger;
import com.mlplatform.logexport.worker.invocation.InvocationResult;
import com.mlplatform.logexport.worker.invocation.LogGroup;
import com.mlplatform.logexport.worker.invocation.Retries;
import com.mlplatform.logexport.worker.time.Deadline;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A synthetic export of at least 1 GB through the real export-invocation code (merge, format, multipart writer with 8 MiB parts
 * and S3's part rules) with the part bytes discarded instead of sent to S3. Run it with {@code -Xmx256m}: that the
 * run finishes at all shows memory does not grow with the export; it also prints the heap's peak use and the
 * process's peak resident set. See docs/worker.md for the command and figures.
 *
 * <p>Arguments: {@code [gigabytes=1.0] [streams=16] [format=text|jsonl] [invocationSeconds=0 (0: one invocation)]
 * [compression=none|gzip]}; {@code gigabytes} is the uncompressed size.
 */
public final class LargeExportRun {

    private LargeExportRun() {
    }

    public static void main(String[] args) throws Exception {
        double gigabytes = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        ExportFormat format = args.length > 2 && args[2].equals("jsonl") ? ExportFormat.JSONL : ExportFormat.TEXT;
        long invocationSeconds = args.length > 3 ? Long.parseLong(args[3]) : 0;
        ExportCompression compression = args.length > 4
                ? ExportCompression.fromWire(args[4]).orElseThrow(() -> new IllegalArgumentException(args[4]))
                : ExportCompression.NONE;
        long approxEventBytes = format == ExportFormat.TEXT ? 135 : 175;
        long perStream = (long) Math.ceil(gigabytes * 1e9 / approxEventBytes / streams);

        SyntheticLogs logs = new SyntheticLogs("synthetic-1gb", streams, perStream);
        DiscardingStore store = new DiscardingStore(PartSizePolicy.S3_MIN_PART);
        Instant created = Instant.now();
        ExportJob job = new ExportJob("exp-bench000000000000000000000", "uc-bench", "synthetic-1gb", "bench@example.com",
                new ExportOptions(format, null, null, compression), ExportStatus.RUNNING, created, created, null, Progress.NONE,
                null, null, null, 1);
        InvocationLedger ledger = new InvocationLedger() {
            @Override
            public void persist(Checkpoint checkpoint, Progress progress) {
            }

            @Override
            public void progress(Progress progress) {
            }
        };
        Clock clock = Clock.systemUTC();
        Checkpoint cp = Checkpoint.initial(clock.millis());
        HeapWatch watch = HeapWatch.watch();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        int invocations = 0;
        InvocationResult result;
        do {
            invocations++;
            Duration budget = invocationSeconds > 0 ? Duration.ofSeconds(invocationSeconds) : Duration.ofDays(1);
            Deadline deadline = new Deadline(clock, clock.instant().plus(budget));
            Retrier retrier = Retrier.withDefaults(deadline, () -> { }, Retrier.RetryListener.NONE);
            ExportInvocation invocation = new ExportInvocation(job, new LogGroup("/aws/sagemaker/TrainingJobs", logs),
                    new ExportBucket("bucket", store, PartSizePolicy.forS3(8 * PartSizePolicy.MIB)),
                    new Retries(retrier, retrier), ledger);
            result = invocation.run(cp);
            if (result instanceof InvocationResult.Paused p) {
                cp = p.checkpoint().nextContinuation();
            }
        } while (result instanceof InvocationResult.Paused);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        watch.finish();

        InvocationResult.Finished done = (InvocationResult.Finished) result;
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf("format            %s%n", format);
        System.out.printf("compression       %s%n", compression.wireName());
        System.out.printf("streams           %d%n", streams);
        System.out.printf("body (plain)      %,d bytes%n", done.progress().bytes());
        System.out.printf("events            %,d%n", done.progress().events());
        System.out.printf("object size       %,d bytes (%.2f GB)%n", done.result().sizeBytes(),
                done.result().sizeBytes() / 1e9);
        System.out.printf("parts             %d (largest %,d bytes)%n", store.partCount(), store.largestPart);
        System.out.printf("invocations       %d%n", invocations);
        System.out.printf("elapsed           %.1f s (%.0f MB/s, %,.0f events/s)%n", seconds,
                done.result().sizeBytes() / 1e6 / seconds, done.progress().events() / seconds);
        System.out.printf("process CPU       %.1f s (all threads: generation, merge, format, compression, GC, JIT)%n",
                cpuSeconds);
        System.out.printf("max heap (-Xmx)   %,d MB%n", maxHeap >> 20);
        System.out.printf("peak heap in use  %,d MB (sampled every 5 ms; includes garbage not yet collected)%n",
                watch.peakUsed >> 20);
        System.out.printf("peak live heap    %,d MB (largest heap left after any GC: what the export needs)%n",
                watch.peakAfterGc() >> 20);
        System.out.printf("sum of pool peaks %,d MB (upper bound; pools peak at different times)%n", heapPeak >> 20);
        System.out.printf("peak RSS          %s%n", peakRss());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "n/a";
    }
}
