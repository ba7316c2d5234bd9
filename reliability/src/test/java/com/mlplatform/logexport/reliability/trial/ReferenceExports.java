package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
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
    /** How long a batch's export may take to be created by the fan-out before its reference is given up. */
    private static final Duration RECORD_WAIT = Duration.ofSeconds(60);

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
     * Starts the reference export of {@code exportId}, copied from {@code source} as it was accepted: the request's
     * fields of its record, QUEUED, without anything a worker of the source lane may have written since. A batch's
     * export has a record only once the fan-out created it, so this waits up to {@link #RECORD_WAIT} for it.
     */
    public CompletableFuture<byte[]> of(Lane source, String exportId) {
        var found = source.job(exportId);
        long until = System.nanoTime() + RECORD_WAIT.toNanos();
        while (found.isEmpty() && System.nanoTime() < until) {
            sleep(Duration.ofMillis(200));
            found = source.job(exportId);
        }
        if (found.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no record of export " + exportId
                    + " in " + source.name() + " to copy within " + RECORD_WAIT.toSeconds() + " s"));
        }
        ExportJob job = found.get();
        ExportJob accepted = ExportJob.queued(job.exportId(), job.usecaseId(), job.trainingId(), job.requestedBy(),
                job.options(), job.batchId(), job.createdAt());
        lane.moto().dynamo().putItem(r -> r.tableName(lane.resources().exportsTable())
                .item(ExportJobItem.toItem(accepted, job.createdAt().plus(Duration.ofDays(30)))));
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
