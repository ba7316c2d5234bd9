package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.accept.AcceptReplies.Item;
import com.mlplatform.logexport.api.accept.AcceptReplies.ItemError;
import com.mlplatform.logexport.api.fanout.BatchPlan;
import com.mlplatform.logexport.api.fanout.BatchPlans;
import com.mlplatform.logexport.api.fanout.FanoutMessage;
import com.mlplatform.logexport.api.fanout.FanoutProgress;
import com.mlplatform.logexport.api.fanout.FanoutQueue;
import com.mlplatform.logexport.api.fanout.FanoutState;
import com.mlplatform.logexport.api.http.Identifiers;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Accepts a batch in a bounded number of AWS calls whatever its size: validation is pure, then one Query for the
 * cap, one BatchWriteItem for the batch record and its plan (1,000 ids per chunk), one SendMessage to the fan-out
 * queue. Every distinct valid id gets its export id now ({@link BatchPlan#exportId}); {@code fanout.BatchFanout}
 * creates the jobs and sends their messages afterwards. Until it has, each id reads as QUEUED.
 *
 * <p>Batch items are not deduped against exports in flight outside the batch (docs/api.md, "Batch at scale"): a
 * batch is a set of exports of its own, one per distinct id, which its page and its archive list in full.
 */
public final class BatchAcceptor {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final ExportAcceptor acceptor;
    private final BatchRecords records;
    private final BatchPlans plans;
    private final FanoutQueue fanout;
    private final Clock clock;
    private final Completions completions;

    public BatchAcceptor(ExportAcceptor acceptor, BatchRecords records, BatchPlans plans, FanoutQueue fanout,
                         Clock clock, Completions completions) {
        this.acceptor = acceptor;
        this.records = records;
        this.plans = plans;
        this.fanout = fanout;
        this.clock = clock;
        this.completions = completions;
    }

    /** What became of the request: its items in request order, or refused whole. */
    public sealed interface Outcome {
    }

    public record Accepted(String batchId, List<Item> items) implements Outcome {
    }

    public record OverCap(AcceptOutcome.OverCap over) implements Outcome {
    }

    /** The batch could not be recorded or handed to the fan-out; no export will be created for it. */
    public record Unavailable() implements Outcome {
    }

    public Outcome accept(Caller caller, UseCase useCase, ExportRequestBody.Batch batch) {
        Instant now = clock.instant();
        long t0 = System.nanoTime();
        String batchId = ExportAcceptor.newBatchId();
        Map<String, Integer> indexOf = new LinkedHashMap<>();
        for (String id : batch.trainingIds()) {
            if (Identifiers.isTrainingId(id)) {
                indexOf.putIfAbsent(id, indexOf.size());
            }
        }
        BatchPlan plan = new BatchPlan(batchId, useCase.usecaseId(), caller.userId(), batch.options(), now,
                List.copyOf(indexOf.keySet()));
        List<Item> items = new ArrayList<>(batch.trainingIds().size());
        for (String id : batch.trainingIds()) {
            Integer index = id == null ? null : indexOf.get(id);
            items.add(index == null
                    ? new Item(id, null, null, new ItemError(ErrorCode.INVALID_REQUEST.name(),
                            Identifiers.trainingIdMessage()))
                    : new Item(id, plan.exportId(index), ExportStatus.QUEUED.name(), null));
        }
        if (!indexOf.isEmpty()) {
            Optional<AcceptOutcome.OverCap> over = acceptor.capFor(caller, indexOf.size(), now);
            if (over.isPresent()) {
                return new OverCap(over.get());
            }
        }
        long t1 = System.nanoTime();
        FanoutState state = indexOf.isEmpty() ? FanoutState.DONE : FanoutState.PENDING;
        // Before the 202: the Location must be readable, and every export id answered must resolve.
        records.save(new BatchRecord(batchId, useCase.usecaseId(), now, items.size(), List.of(),
                items.stream().filter(i -> i.error() != null).toList(),
                new FanoutProgress(batchId, state, indexOf.size(), now, 0)), plan.chunks());
        long t2 = System.nanoTime();
        if (state == FanoutState.PENDING && !handOver(batchId)) {
            return new Unavailable();
        }
        long t3 = System.nanoTime();
        LOG.info("batch_accepted", "usecaseId", useCase.usecaseId(), "batchId", batchId,
                "requested", items.size(), "planned", indexOf.size(), "chunks", plan.chunks().size(),
                "capMs", ms(t1 - t0), "recordMs", ms(t2 - t1), "sendMs", ms(t3 - t2));
        completions.metrics().accepted(true, indexOf.size());
        return new Accepted(batchId, items);
    }

    /**
     * Sends the batch to the fan-out. If that fails, the batch is given up (FAILED, so the sweep leaves it and its
     * ids read as FAILED) and the client gets a 503 to retry: the API knows now that nothing would start the exports
     * before the sweep's grace. If giving up fails too, the sweep re-drives the batch later.
     */
    private boolean handOver(String batchId) {
        try {
            fanout.send(FanoutMessage.of(batchId));
            return true;
        } catch (SdkException e) {
            LOG.warn("fanout_send_failed", "batchId", batchId, "exception", e.getClass().getSimpleName());
            try {
                plans.finish(batchId, FanoutState.FAILED, clock.instant());
            } catch (SdkException again) {
                LOG.error("fanout_give_up_failed", "batchId", batchId, "exception",
                        again.getClass().getSimpleName());
            }
            return false;
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
