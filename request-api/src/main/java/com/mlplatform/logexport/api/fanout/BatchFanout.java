package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.api.accept.MessageBatchSender;
import com.mlplatform.logexport.shared.batch.Chunks;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Creates the exports of an accepted batch, chunk by chunk: reads which of the chunk's pre-assigned ids already
 * have a job, creates the others with a conditional put ({@code attribute_not_exists}), and sends the export
 * message of every job it created and of every job still QUEUED and never claimed (an earlier run may have died
 * between creating and sending). Then marks the fan-out DONE.
 *
 * <p>Every step may be repeated: a redelivery, a re-drive by {@link FanoutSweep} or a concurrent duplicate
 * delivery runs the same steps again and creates nothing twice, because the ids are fixed by the plan and each
 * create is conditional. A message may be sent twice (a run that died after sending and before DONE); the worker
 * acknowledges a duplicate of a job another delivery holds or has finished. An item cancelled before its job
 * existed already has a CANCELLED job and gets no message.
 *
 * <p>Plain Java over ports; any failure of a port propagates, and the caller lets SQS deliver the message again.
 */
public final class BatchFanout {

    private static final StructuredLog LOG = new StructuredLog("batch-fanout");

    private final BatchPlans plans;
    private final FanoutJobs jobs;
    private final MessageBatchSender sender;
    private final ExecutorService pool;
    private final Clock clock;

    public BatchFanout(BatchPlans plans, FanoutJobs jobs, MessageBatchSender sender, ExecutorService pool,
                       Clock clock) {
        this.plans = plans;
        this.jobs = jobs;
        this.sender = sender;
        this.pool = pool;
        this.clock = clock;
    }

    /** What one run did. {@code complete} false: some messages could not be sent, run again later. */
    public record Run(boolean complete, int created, int sent) {
    }

    public Run run(String batchId) {
        var progress = plans.progress(batchId);
        if (progress.isEmpty() || progress.get().state() != FanoutState.PENDING) {
            LOG.info("fanout_skipped", "batchId", batchId,
                    "state", progress.map(p -> p.state().name()).orElse("NO_RECORD"));
            return new Run(true, 0, 0);
        }
        long t0 = System.nanoTime();
        plans.touch(batchId, clock.instant());
        int created = 0;
        int sent = 0;
        for (PlanChunk chunk : plans.chunks(batchId, progress.get().items())) {
            List<ExportJob> planned = chunk.queuedJobs();
            Map<String, ExportJob> existing = jobs.existing(planned.stream().map(ExportJob::exportId).toList());
            List<ExportJob> missing = planned.stream().filter(j -> !existing.containsKey(j.exportId())).toList();
            List<Boolean> made = Chunks.inParallel(pool, missing, jobs::create);
            List<String> toSend = new ArrayList<>();
            for (int i = 0; i < missing.size(); i++) {
                if (made.get(i)) {
                    toSend.add(missing.get(i).exportId());
                }
            }
            created += toSend.size();
            existing.values().stream().filter(BatchFanout::neverClaimed).map(ExportJob::exportId)
                    .forEach(toSend::add);
            Set<String> unsent = toSend.isEmpty() ? Set.of() : sender.sendAll(toSend);
            sent += toSend.size() - unsent.size();
            if (!unsent.isEmpty()) {
                // The jobs exist and stay QUEUED: the next delivery sends their messages.
                LOG.warn("fanout_unsent", "batchId", batchId, "chunk", chunk.chunkNo(), "unsent", unsent.size());
                return new Run(false, created, sent);
            }
        }
        plans.finish(batchId, FanoutState.DONE, clock.instant());
        LOG.info("fanout_done", "batchId", batchId, "items", progress.get().items(), "created", created,
                "sent", sent, "ms", (System.nanoTime() - t0) / 1_000_000);
        return new Run(true, created, sent);
    }

    /** QUEUED and never written by a worker: its message may never have been sent. */
    private static boolean neverClaimed(ExportJob job) {
        return job.status() == ExportStatus.QUEUED && job.version() == 0;
    }
}
