package com.mlplatform.logexport.api.status;

import com.mlplatform.logexport.api.fanout.BatchItemIds;
import com.mlplatform.logexport.api.fanout.BatchPlans;
import com.mlplatform.logexport.api.fanout.FanoutProgress;
import com.mlplatform.logexport.api.fanout.FanoutState;
import com.mlplatform.logexport.api.fanout.PlanChunk;
import com.mlplatform.logexport.shared.job.ExportJob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exports a batch has promised but whose jobs the fan-out has not created yet, shown as the jobs they will be:
 * QUEUED while the fan-out is PENDING, FAILED once it was given up. An export id answered 202 is thereby readable
 * at once, in the same document shape and under the same access rule as a job.
 */
public final class PendingExports {

    private final BatchPlans plans;

    public PendingExports(BatchPlans plans) {
        this.plans = plans;
    }

    /**
     * The export with this id as its batch plan shows it: two reads (the plan chunk, the batch's progress). Empty
     * when no plan has this id; call only once the job itself was not found.
     */
    public Optional<ExportJob> find(String exportId) {
        Optional<BatchItemIds.Ref> ref = BatchItemIds.parse(exportId);
        Optional<PlanChunk> chunk = ref.flatMap(plans::chunk);
        if (chunk.isEmpty()) {
            return Optional.empty();
        }
        FanoutState state = plans.progress(chunk.get().batchId()).map(FanoutProgress::state)
                .orElse(FanoutState.PENDING);
        return chunk.get().placeholder(ref.get().index(), state)
                .filter(job -> job.exportId().equals(exportId));
    }

    /**
     * Every export of the batch's plan: the job where {@code created} has it, else the placeholder. The created
     * jobs come from an eventually consistent index, so a job created a moment ago may still show as QUEUED.
     */
    public List<ExportJob> merge(FanoutProgress progress, Collection<ExportJob> created) {
        Map<String, ExportJob> byId = new HashMap<>();
        created.forEach(j -> byId.put(j.exportId(), j));
        List<ExportJob> all = new ArrayList<>(progress.items());
        for (PlanChunk chunk : plans.chunks(progress.batchId(), progress.items())) {
            for (int i = 0; i < chunk.trainingIds().size(); i++) {
                int index = chunk.firstIndex() + i;
                ExportJob job = byId.remove(BatchItemIds.exportId(chunk.batchId(), index));
                all.add(job != null ? job : chunk.placeholder(index, progress.state()).orElseThrow());
            }
        }
        return all;
    }
}
