package com.mlplatform.logexport.api.status;

import com.mlplatform.logexport.api.accept.BatchRecord;
import com.mlplatform.logexport.api.accept.BatchRecords;
import com.mlplatform.logexport.shared.job.ExportJob;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link BatchMembership} as batches are stored today: the batch record (its fan-out plan or joined exports, item
 * errors; read strongly consistent), then the exports the batch created through the batch-id index. A batch with a
 * fan-out plan lists every planned export, created or not yet (a placeholder QUEUED until the fan-out writes it), so
 * its counts tell the truth while the fan-out runs. A batch accepted before batch records existed has none: its
 * created exports alone then make it up.
 */
public record IndexedBatchMembership(BatchExports exports, BatchRecords records, PendingExports pending)
        implements BatchMembership {

    @Override
    public Optional<Batch> find(String batchId) {
        Optional<BatchRecord> record = records.find(batchId);
        List<ExportJob> found = new ArrayList<>(exports.find(batchId));
        String usecaseId = record.map(BatchRecord::usecaseId)
                .orElse(found.isEmpty() ? null : found.get(0).usecaseId());
        if (usecaseId == null) {
            return Optional.empty();
        }
        List<ExportJob> all = new ArrayList<>();
        if (record.isPresent() && record.get().fanout() != null) {
            all.addAll(pending.merge(record.get().fanout(), found));
        } else {
            all.addAll(found);
            record.ifPresent(r -> all.addAll(r.joined().isEmpty() ? List.of() : exports.byIds(r.joined())));
        }
        all.sort(Comparator.comparing(ExportJob::trainingId));
        return Optional.of(new Batch(batchId, usecaseId, record.map(BatchRecord::requested).orElse(all.size()),
                all, record.map(BatchRecord::errors).orElse(List.of())));
    }
}
