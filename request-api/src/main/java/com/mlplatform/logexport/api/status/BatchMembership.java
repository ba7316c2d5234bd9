package com.mlplatform.logexport.api.status;

import com.mlplatform.logexport.api.accept.AcceptReplies.Item;
import com.mlplatform.logexport.shared.job.ExportJob;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a batch consists of: its exports (those it created and those it joined) and the items it refused. The one
 * place that knows how a batch is stored ({@link IndexedBatchMembership}: the batch record and the batch-id
 * index); the batch status and the batch's archive both read batches through it.
 */
public interface BatchMembership {

    /**
     * @param requested how many ids the batch request held
     * @param exports   sorted by training id
     * @param errors    the items that got an error, in request order
     */
    record Batch(String batchId, String usecaseId, int requested, List<ExportJob> exports, List<Item> errors) {
        public Batch {
            Objects.requireNonNull(batchId, "batchId");
            Objects.requireNonNull(usecaseId, "usecaseId");
            exports = List.copyOf(exports);
            errors = List.copyOf(errors);
        }
    }

    /** Empty when no such batch exists. Callers check the caller may see its use case. */
    Optional<Batch> find(String batchId);
}
