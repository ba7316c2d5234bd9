package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The uninterrupted run every trial's file is compared with, byte for byte. The file is a function of the job
 * record (its id, request time and options are in the header) and the logs, so the reference is the same job
 * record, copied as the API wrote it into a reference lane of its own and exported there by a worker that is never
 * killed, never faulted, and has time for the whole export in one invocation.
 */
public final class ReferenceExports implements AutoCloseable {

    /** Long enough for the largest training in one hop. */
    public static final Lane.Tuning UNINTERRUPTED = new Lane.Tuning(Duration.ofMinutes(5), 30);
    private static final Duration WAIT = Duration.ofMinutes(3);

    private final Lane lane;
    private final List<ChildJvm> workers;
    private final ExecutorService waiting = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reference-wait");
        t.setDaemon(true);
        return t;
    });

    public ReferenceExports(Lane lane, int workers) {
        this.lane = lane;
        this.workers = java.util.stream.IntStream.range(0, workers).mapToObj(i -> lane.startWorker(List.of()))
                .toList();
    }

    /**
     * Starts the reference export of {@code exportId}, copied from {@code source} as it is now: call it before
     * any worker of the source lane touched the record.
     */
    public CompletableFuture<byte[]> of(Lane source, String exportId) {
        var found = source.item(exportId);
        if (found.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no record of export " + exportId
                    + " in " + source.name() + " to copy"));
        }
        var item = found.get();
        lane.moto().dynamo().putItem(r -> r.tableName(lane.resources().exportsTable()).item(item));
        lane.moto().sqs().sendMessage(r -> r.queueUrl(lane.resources().queueUrl())
                .messageBody(ExportMessage.start(exportId).toJson()));
        return CompletableFuture.supplyAsync(() -> awaitFile(exportId), waiting);
    }

    private byte[] awaitFile(String exportId) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            ExportJob job = lane.job(exportId).orElseThrow();
            if (job.status() == ExportStatus.SUCCEEDED) {
                byte[] bytes = lane.object(job.result().key());
                lane.deleteObject(job.result().key());
                return bytes;
            }
            if (job.status().isFinished()) {
                throw new IllegalStateException("the uninterrupted reference export of " + exportId + " ended "
                        + job.status() + ": " + job.error());
            }
            sleep(Duration.ofMillis(300));
        }
        throw new IllegalStateException("the uninterrupted reference export of " + exportId + " did not finish in "
                + WAIT.toSeconds() + " s; its worker's log: " + workers.get(0).log());
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        workers.forEach(ChildJvm::close);
        waiting.shutdownNow();
        lane.close();
    }
}
