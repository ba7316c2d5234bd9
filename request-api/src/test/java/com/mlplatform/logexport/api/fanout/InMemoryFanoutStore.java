package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.api.accept.QueueSends;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exports table and the export queue of one batch's fan-out, in memory, with the same conditions as the
 * DynamoDB adapter (conditional create, updates only while PENDING). Every call first spends one unit of a crash
 * budget: when it runs out, the call throws {@link Crash} before doing anything, as an invocation that dies there.
 */
final class InMemoryFanoutStore implements BatchPlans, FanoutJobs, QueueSends {

    /** The invocation died at this call. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("crash", null, false, false);
        }
    }

    final Map<String, ExportJob> jobs = new ConcurrentHashMap<>();
    /** Every message sent, in order; each names an export whose job existed when it was sent. */
    final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> messagesWithoutJob = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, FanoutProgress> progress = new HashMap<>();
    private final Map<String, List<PlanChunk>> plans = new HashMap<>();
    private final AtomicInteger budget = new AtomicInteger(Integer.MAX_VALUE);

    void save(BatchPlan plan, Instant now) {
        progress.put(plan.batchId(), new FanoutProgress(plan.batchId(), FanoutState.PENDING,
                plan.trainingIds().size(), now, 0));
        plans.put(plan.batchId(), plan.chunks());
    }

    /** The next {@code calls} calls succeed, the one after crashes. */
    void crashAfter(int calls) {
        budget.set(calls);
    }

    void neverCrash() {
        budget.set(Integer.MAX_VALUE);
    }

    private void spend() {
        if (budget.getAndUpdate(b -> b == Integer.MAX_VALUE ? b : b - 1) <= 0) {
            throw new Crash();
        }
    }

    @Override
    public synchronized Optional<FanoutProgress> progress(String batchId) {
        spend();
        return Optional.ofNullable(progress.get(batchId));
    }

    @Override
    public List<PlanChunk> chunks(String batchId, int items) {
        spend();
        return plans.getOrDefault(batchId, List.of());
    }

    @Override
    public Optional<PlanChunk> chunk(BatchItemIds.Ref ref) {
        spend();
        return plans.values().stream().flatMap(List::stream)
                .filter(c -> BatchItemIds.prefix(c.batchId()).equals(ref.prefix())
                        && c.chunkNo() == ref.index() / BatchPlan.CHUNK_SIZE)
                .findFirst();
    }

    @Override
    public synchronized void touch(String batchId, Instant now) {
        spend();
        update(batchId, p -> new FanoutProgress(batchId, p.state(), p.items(), now, p.redrives()));
    }

    @Override
    public synchronized void finish(String batchId, FanoutState state, Instant now) {
        spend();
        update(batchId, p -> new FanoutProgress(batchId, state, p.items(), now, p.redrives()));
    }

    @Override
    public synchronized List<FanoutProgress> stale(Instant before) {
        spend();
        return progress.values().stream()
                .filter(p -> p.state() == FanoutState.PENDING && p.updatedAt().isBefore(before)).toList();
    }

    @Override
    public synchronized void redriven(String batchId, Instant now) {
        spend();
        update(batchId, p -> new FanoutProgress(batchId, p.state(), p.items(), now, p.redrives() + 1));
    }

    private void update(String batchId, java.util.function.UnaryOperator<FanoutProgress> change) {
        FanoutProgress p = progress.get(batchId);
        if (p != null && p.state() == FanoutState.PENDING) {
            progress.put(batchId, change.apply(p));
        }
    }

    @Override
    public Map<String, ExportJob> existing(Collection<String> exportIds) {
        spend();
        Map<String, ExportJob> out = new HashMap<>();
        exportIds.forEach(id -> Optional.ofNullable(jobs.get(id)).ifPresent(j -> out.put(id, j)));
        return out;
    }

    @Override
    public boolean create(ExportJob job) {
        spend();
        return jobs.putIfAbsent(job.exportId(), job) == null;
    }

    /** What the status route's cancel does for an item not fanned out yet: its job is created CANCELLED. */
    boolean cancelBeforeFanout(ExportJob placeholder) {
        return jobs.putIfAbsent(placeholder.exportId(), new ExportJob(placeholder.exportId(),
                placeholder.usecaseId(), placeholder.trainingId(), placeholder.requestedBy(), placeholder.options(),
                ExportStatus.CANCELLED, placeholder.createdAt(), placeholder.createdAt(), placeholder.batchId(),
                placeholder.progress(), null, null, null, 0)) == null;
    }

    @Override
    public Map<String, Boolean> sendBatch(List<String> exportIds) {
        spend();
        for (String id : exportIds) {
            (jobs.containsKey(id) ? messages : messagesWithoutJob).add(id);
        }
        return Map.of();
    }

    synchronized FanoutState state(String batchId) {
        return progress.get(batchId).state();
    }
}
